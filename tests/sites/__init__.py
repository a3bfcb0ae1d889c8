"""Saved web pages and helpers for the enrich stage's tests (no internet, ever)."""
