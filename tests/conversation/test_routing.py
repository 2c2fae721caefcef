"""The routing table: intent, sentiment, lead tier, history and business hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm.conversation.routing import BusinessHours, RouteInput, RoutingRules, route

HOURS = BusinessHours.parse("mon-fri 09:00-18:00", "America/Panama")
RULES = RoutingRules(HOURS)
OPEN = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Wednesday 10:00 in Panama
CLOSED = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # Sunday


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RouteInput("greeting", 0.9, 0.3), ("bot", "low", False)),
        (RouteInput("product_inquiry", 0.8, 0.0), ("bot", "normal", False)),
        (RouteInput("price_inquiry", 0.8, 0.0), ("bot", "normal", False)),
        (RouteInput("purchase_intent", 0.8, 0.0), ("sales", "normal", False)),
        (RouteInput("purchase_intent", 0.8, 0.0, "hot"), ("human", "high", True)),
        (RouteInput("payment", 0.8, 0.0), ("billing", "normal", False)),
        (RouteInput("cancellation_refund", 0.8, -0.2), ("billing", "normal", False)),
        (RouteInput("order_status", 0.8, 0.0), ("support", "normal", False)),
        (RouteInput("support_request", 0.8, -0.3), ("support", "normal", False)),
        (RouteInput("complaint", 0.8, -0.4), ("human", "urgent", True)),
        (RouteInput("other", 0.8, -0.9), ("human", "urgent", True)),
        (RouteInput("human_agent", 0.9, 0.0), ("human", "high", True)),
        (RouteInput("other", 0.2, 0.0, low_confidence_streak=1), ("human", "high", True)),
        (RouteInput("other", 0.2, 0.0), ("bot", "low", False)),
        (RouteInput("greeting", 0.9, 0.0, bot_paused=True), ("human", "high", True)),
    ],
)
def test_routing_table(data, expected):
    decision = route(data, RULES, OPEN)
    assert (decision.route, decision.priority, decision.escalate) == expected
    assert decision.agents_available and decision.reasons


def test_outside_business_hours_the_decision_says_agents_are_away():
    decision = route(RouteInput("payment", 0.9, 0.0), RULES, CLOSED)
    assert decision.route == "billing" and not decision.agents_available
    assert any("outside business hours" in reason for reason in decision.reasons)


def test_business_hours_parse_days_hours_and_time_zone():
    hours = BusinessHours.parse("sat-mon 08:30-12:00", "UTC")
    assert hours.is_open(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))  # Sunday
    assert not hours.is_open(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday
    assert not hours.is_open(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
