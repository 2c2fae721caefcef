"""Data hygiene (flow 19): pure cleaning rules for contact fields.

Each concept has its own module with a per-value function (used by the API on one record)
and a vectorised function over pandas Series (used by the Dagster assets on whole
tables). Both paths run the same rules, so a record cleaned in real time and the same
record cleaned by the pipeline come out identical.
"""
