"""Benchmarks: ``python -m bench --scale small|full`` (harness.py); each figure is a ratio to a same-run baseline."""
