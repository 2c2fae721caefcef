"""Where a message goes: the bot, the sales / support / billing queue, or a human.

One pure function, `route`, decides for the HTTP endpoint and for live traffic alike, from
the message's intent and sentiment, the lead's tier, the conversation's history and the
business hours. It returns the decision with the reasons, so an agent (or a test) can see
why. Escalation to a human is a route too; `escalation` acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

QUEUES = {
    "purchase_intent": "sales",
    "payment": "billing",
    "cancellation_refund": "billing",
    "order_status": "support",
    "support_request": "support",
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    """Days and hours when agents answer, e.g. `mon-fri 09:00-18:00` in a time zone."""

    days: frozenset[int]
    opens: time
    closes: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str) -> BusinessHours:
        """`mon-fri 09:00-18:00`, `mon-sat 08:30-17:00`, `sun-sun 00:00-23:59`."""
        day_part, hour_part = spec.strip().lower().split()
        first, _, last = day_part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        days = (
            frozenset(range(start, end + 1))
            if start <= end
            else frozenset([*range(start, 7), *range(0, end + 1)])
        )
        opens, _, closes = hour_part.partition("-")
        return cls(days, time.fromisoformat(opens), time.fromisoformat(closes), ZoneInfo(timezone))

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes


@dataclass(frozen=True)
class RouteInput:
    """What routing looks at."""

    intent: str
    confidence: float
    sentiment: float
    lead_tier: str | None = None
    low_confidence_streak: int = 0
    bot_paused: bool = False
    previous_escalations: int = 0


@dataclass(frozen=True)
class RoutingRules:
    """The configurable thresholds (from the settings)."""

    hours: BusinessHours
    low_confidence: float = 0.45
    negative_sentiment: float = -0.6
    escalation_tiers: frozenset[str] = frozenset({"hot"})


@dataclass(frozen=True)
class RouteDecision:
    route: str  # bot, sales, support, billing, human
    priority: str  # low, normal, high, urgent
    escalate: bool
    agents_available: bool
    reasons: list[str] = field(default_factory=list)
    escalation_reasons: list[str] = field(default_factory=list)


def _human_reasons(data: RouteInput, rules: RoutingRules) -> list[str]:
    """Every reason this message needs a person (empty: it does not)."""
    low = data.confidence < rules.low_confidence
    checks = [
        (data.bot_paused, "a human already owns this conversation"),
        (data.intent == "human_agent", "the customer asked for a human"),
        (data.intent == "complaint", "complaint"),
        (data.sentiment <= rules.negative_sentiment, f"strongly negative ({data.sentiment:+.2f})"),
        (low and data.low_confidence_streak >= 1, "low intent confidence twice in a row"),
        (
            data.lead_tier in rules.escalation_tiers and data.intent == "purchase_intent",
            f"{data.lead_tier} lead ready to buy",
        ),
    ]
    return [reason for hit, reason in checks if hit]


def _priority(data: RouteInput, escalate: bool) -> str:
    if data.intent == "complaint" or data.sentiment <= -0.6:
        return "urgent"
    if escalate or data.lead_tier == "hot":
        return "high"
    if data.intent in ("greeting", "other"):
        return "low"
    return "normal"


def route(data: RouteInput, rules: RoutingRules, now: datetime) -> RouteDecision:
    """The routing decision for one message, with its reasons."""
    open_now = rules.hours.is_open(now)
    human = _human_reasons(data, rules)
    if human:
        target, reasons = "human", list(human)
    elif data.intent in QUEUES:
        target, reasons = QUEUES[data.intent], [f"intent {data.intent}"]
    else:
        target, reasons = "bot", [f"intent {data.intent}: the bot answers from the knowledge base"]
    if data.lead_tier:
        reasons.append(f"lead tier {data.lead_tier}")
    if target != "bot" and not open_now:
        reasons.append("outside business hours: the bot answers until agents are back")
    priority = _priority(data, bool(human))
    return RouteDecision(target, priority, bool(human), open_now, reasons, list(human))
