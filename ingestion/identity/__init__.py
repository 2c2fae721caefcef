"""Identity resolution (flow 18): which source identities are one person, and its lead_id.

The pipeline is a chain of pure functions over pandas DataFrames, one concept per module:
`records` (cleaned matching features), `blocking` (candidate pairs), `compare`
(comparison levels), `fellegi_sunter` (EM-learned weights), `deterministic` (shared keys),
`clustering` (guarded connected components), `lead_ids` (stable ids), `decisions` (a
person's accept / reject), and `resolve`, which runs them in order. `store` and
`realtime` are the only modules that touch the database.
"""
