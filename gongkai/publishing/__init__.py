"""The document register (主动公开): government-information items with their metadata, the
三审 review chain, the privacy gate, interpretations and their clock, validity and the yearly
cleanup. Published items feed the public portal (gongkai.portal) and the search index."""
