"""Models of bookings arrive with its issue."""
