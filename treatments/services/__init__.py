"""Writes of the treatments app, one module per concept (keyword-only typed functions)."""
