"""A donor's own view of their giving: signed links, gift history and year-end statements."""
