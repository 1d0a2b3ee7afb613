"""Reads of the communications app on behalf of an actor (one module per area)."""
