"""Benchmarks at national scale: `make bench` (python -m benchmarks); see docs/performance.md."""
