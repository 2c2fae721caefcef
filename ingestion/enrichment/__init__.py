"""Enrichment (flow 20): what we can say about a lead from what we already hold, offline.

One concept per module: `phone` (country, region, time zone, line type, carrier from the
number), `language` (from the lead's own messages, the country as a prior), `company`
(company and domain type from a corporate e-mail), `hours` (local business hours for
contact), `providers` (optional third-party enrichers, none called unless configured),
`profile` (all of it for one person), `identities` (for every cleaned identity, in the
pipeline) and `warehouse` (the pipeline's reads). Touch channels come from the
identities' first and last activity, in dbt.
"""
