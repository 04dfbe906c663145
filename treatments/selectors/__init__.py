"""Reads of the treatments app, one module per concept."""
