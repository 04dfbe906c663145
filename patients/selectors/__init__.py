"""Reads of the patients app; views and tasks call these, never the ORM directly."""
