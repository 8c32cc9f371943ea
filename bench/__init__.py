"""Benchmarks: the runtime against a hand-written Flask app, and how cost grows.

`python -m bench [--quick] [--json PATH] [--only NAME ...]` prints one line per figure and
writes the same figures as JSON (bench/results/latest.json unless --json). Every figure is a
ratio against a baseline measured in the same run, with the raw numbers beside it. A figure
never fails a run; a crash of the benchmark code does (CI runs `--quick` once).
"""
