"""意见征集: drafts put out for public comment, moderated comments, and the feedback report
that must be published before a consultation closes."""
