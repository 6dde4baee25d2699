"""Models of reporting arrive with its issue."""
