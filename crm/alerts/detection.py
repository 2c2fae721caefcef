"""Is a day's value unusual for that weekday? A robust z-score against the same weekday.

Traffic has a weekly rhythm (a quiet Sunday is not an outage), so a day is compared only
with the same weekday over the last WEEKS weeks. Centre and spread are the median and the
MAD (scaled by 1.4826 to match a standard deviation on normal data), which one earlier
outlier cannot drag. The robust z-score (value - median) / spread is flagged at
|z| >= Z_THRESHOLD (3.5, Iglewicz and Hoaglin's cut-off for modified z-scores), in the
direction that matters for the metric.

Guards, so that noise is not news:
- fewer than MIN_HISTORY same-weekday points: no verdict;
- the spread is at least the metric's floor, and for counts at least sqrt(median) (the
  Poisson noise of a count), so a perfectly regular history does not flag a +1;
- a count is judged only when the day or its median reaches the metric's minimum volume,
  a ratio or median only when the day's own volume does;
- a channel whose median same-weekday volume is at least SILENT_MIN_MEDIAN and that
  received nothing is reported as `channel_silent` instead of as low volume.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date

WEEKS = 8
MIN_HISTORY = 4
Z_THRESHOLD = 3.5
MAD_SCALE = 1.4826
SILENT_MIN_MEDIAN = 5.0


@dataclass(frozen=True)
class Rule:
    direction: str  # high, low or both: which side is worth an alert
    min_volume: int
    floor: float  # the smallest spread used
    count: bool = False


RULES = {
    "message_volume": Rule("both", 10, 1.0, count=True),
    "failed_sends": Rule("high", 5, 1.0, count=True),
    "negative_share": Rule("high", 20, 0.05),
    "median_first_response_seconds": Rule("high", 10, 60.0),
    "conversion_rate": Rule("low", 20, 0.02),
}


@dataclass(frozen=True)
class Anomaly:
    metric: str
    dimension: str
    day: date
    direction: str
    value: float
    expected_low: float
    expected_high: float
    robust_z: float | None
    evidence: dict

    @property
    def message(self) -> str:
        weekday = self.day.strftime("%A")
        used = len(self.evidence["history"])
        if self.direction == "silent":
            return (
                f"{self.dimension} went silent on {self.day} ({weekday}): no inbound messages,"
                f" against a median of {self.evidence['median']:g} on the last {used} {weekday}s."
            )
        return (
            f"{self.metric} ({self.dimension}) was {self.value:.4g} on {self.day} ({weekday}),"
            f" {self.direction} against an expected {self.expected_low:.4g} to"
            f" {self.expected_high:.4g} (median {self.evidence['median']:.4g} of the last"
            f" {used} {weekday}s, robust z {self.robust_z:+.1f})."
        )


def assess(
    metric: str,
    dimension: str,
    day: date,
    value: float,
    volume: float,
    history: list[tuple[date, float]],
) -> Anomaly | None:
    """The anomaly on `day`, if any; `history` holds the same weekday's earlier values."""
    rule = RULES[metric]
    if len(history) < MIN_HISTORY:
        return None
    values = [v for _, v in history]
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    spread = max(MAD_SCALE * mad, rule.floor, math.sqrt(median) if rule.count else 0.0)
    low, high = max(median - Z_THRESHOLD * spread, 0.0), median + Z_THRESHOLD * spread
    evidence = {
        "metric": metric,
        "dimension": dimension,
        "day": day.isoformat(),
        "value": value,
        "volume": volume,
        "median": median,
        "mad": mad,
        "spread": spread,
        "z_threshold": Z_THRESHOLD,
        "history": [{"day": d.isoformat(), "value": v} for d, v in history],
    }
    if metric == "message_volume" and value == 0 and median >= SILENT_MIN_MEDIAN:
        return Anomaly("channel_silent", dimension, day, "silent", value, low, high, None, evidence)
    enough = max(value, median) if rule.count else volume
    if enough < rule.min_volume:
        return None
    z = (value - median) / spread
    direction = "high" if z > 0 else "low"
    if abs(z) < Z_THRESHOLD or rule.direction not in (direction, "both"):
        return None
    return Anomaly(metric, dimension, day, direction, value, low, high, z, evidence)
