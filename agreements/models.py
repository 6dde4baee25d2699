"""Models of agreements arrive with its issue."""
