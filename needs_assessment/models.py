"""Models of needs_assessment arrive with its issue."""
