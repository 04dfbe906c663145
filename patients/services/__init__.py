"""Writes of the patients app: keyword-only functions, each in one transaction."""
