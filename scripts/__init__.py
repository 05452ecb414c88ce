"""Developer scripts (fixture builders, the parse scorer). Not part of the installed package."""
