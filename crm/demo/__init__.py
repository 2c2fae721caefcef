"""The demo's sample world, its Meta webhook traffic, its contacts export and the demo run.

Everything here is deterministic for a seed, so tests and the benchmark can rebuild the
same deliveries, and running `crm demo` twice lands nothing new the second time.
"""
