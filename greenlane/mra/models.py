"""Models (filled in by the app's owner)."""
