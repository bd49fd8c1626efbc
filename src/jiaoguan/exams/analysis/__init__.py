"""Exam analysis kernels: plain functions over DuckDB, no Django (see docs/design exam-metrics)."""
