"""Benchmarks of the playbook generator; run with `python -m benchmarks.<name>`."""
