"""Demo data for `make run` (seed_demo): one module per app, seeding the demo force."""
