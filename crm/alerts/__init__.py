"""Metric alerts (flow 22): anomalies in the daily metrics of the marts, with their
evidence, raised once per metric and day and sent to a signed webhook."""
