"""Benchmarks of the production stack on loopback (see bench/README.md); not tests."""
