"""The real-time conversation engine: every inbound message understood, routed, answered.

Domain logic only (no FastAPI, no Dagster): the worker (`worker`) claims landed messages,
`processing` runs each one through lead lookup, understanding, state, routing, escalation
and a grounded reply queued in the outbox; `senders` drain the outbox to Meta's APIs.
`api/routes/` exposes the same functions over HTTP.
"""
