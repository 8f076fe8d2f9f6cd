"""Benchmarks: the grader's own speed, and the service's."""
