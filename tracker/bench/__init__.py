"""Benchmarks: `tracker bench`."""
