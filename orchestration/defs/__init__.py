"""Dagster definitions split by concern; `orchestration/definitions.py` composes them."""
