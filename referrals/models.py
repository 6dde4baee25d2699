"""Models of referrals arrive with its issue."""
