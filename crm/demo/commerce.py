"""The demo shop's outcomes: Shopify-format webhooks for the people who chat their way to a buy.

People whose conversations show buying signals (price questions, purchase intent, payment)
open checkouts within a day and a half of the first one; the more they wrote, the likelier
a checkout and its conversion, so a model trained on the marts has something real to learn.
Orders get paid, a few are cancelled or refunded. Buyers give the shop their e-mail and/or
phone the way people do: as a registered customer, as a guest with only an e-mail, with the phone
spelt differently or the e-mail in capitals. Same world, same deliveries, byte for byte.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import orjson

from crm.demo.people import Person
from crm.demo.shopify_ids import Ids, basket, refund_body
from crm.demo.world import World
from ingestion.commerce import sign

SHOP = "acme-demo.myshopify.com"
SIGNALS = {"price_inquiry": 0.5, "purchase_intent": 1.0, "payment": 1.0}
# The generator's timing and odds, shared by `_shopper` and `conversion_probability`.
CHECKOUT_DELAY_S = (1200, 36 * 3600)  # checkout after the last buying signal
CONVERT_BOOST = 0.25  # P(checkout converts) = chance + this
REPEAT_DELAY_S = (2 * 86400, 12 * 86400)  # a repeat purchase after the first checkout
CANCEL_SHARE = 0.08
UTC_OFFSET = {"PA": -5, "MX": -6, "CO": -5, "BR": -3, "US": -5, "ES": 1, "CR": -6}


@dataclass(frozen=True)
class CommerceDelivery:
    """One Shopify webhook: topic, webhook id (repeated on redelivery), exact body bytes."""

    topic: str
    webhook_id: str
    body: bytes
    at: datetime

    def headers(self, secret: str) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Shopify-Topic": self.topic,
            "X-Shopify-Hmac-Sha256": sign(self.body, secret),
            "X-Shopify-Webhook-Id": self.webhook_id,
            "X-Shopify-Shop-Domain": SHOP,
            "User-Agent": "Shopify-Captain-Hook",
        }


@dataclass(frozen=True)
class Commerce:
    """Every delivery to send (originals plus verbatim redeliveries) and who bought."""

    deliveries: tuple[CommerceDelivery, ...]
    originals: tuple[CommerceDelivery, ...]
    shoppers: tuple[str, ...]  # Person.key of everyone who opened a checkout
    buyers: tuple[str, ...]  # Person.key of everyone with an order

    def topics(self) -> Counter[str]:
        return Counter(d.topic for d in self.originals)


def build_commerce(world: World, redelivery_share: float = 0.04) -> Commerce:
    """The shop's webhooks for a world; deterministic for its seed and `now`."""
    originals: list[CommerceDelivery] = []
    shoppers, buyers = [], []
    for person in world.people:
        events = _shopper(world, person)
        originals += events
        shoppers += [person.key] if events else []
        buyers += [person.key] if any(e.topic == "orders/create" for e in events) else []
    originals.sort(key=lambda d: (d.at, d.webhook_id))
    rng = random.Random(f"commerce-redeliveries:{world.seed}")
    again = [d for d in originals if rng.random() < redelivery_share]
    deliveries = list(originals)
    for delivery in again:
        deliveries.insert(
            rng.randrange(deliveries.index(delivery) + 1, len(deliveries) + 1), delivery
        )
    return Commerce(tuple(deliveries), tuple(originals), tuple(shoppers), tuple(buyers))


def propensity(world: World, person: Person) -> tuple[float, datetime | None]:
    """(chance of opening a checkout, when the first buying signal was) from their chats.

    People buy soon after they first show buying interest (not after their last word), so
    what the marts know at a cut-off (recent messages, their count) predicts the next days.
    """
    inbound = [m for m in world.messages if m.person == person.key and m.direction == "inbound"]
    signals = [m for m in inbound if m.intent in SIGNALS]
    if not signals:
        return 0.0, None
    strength = max(SIGNALS[m.intent or ""] for m in signals)
    return min(0.7, 0.02 + 0.025 * len(inbound) + 0.06 * strength), signals[0].at


def conversion_probability(world: World, person: Person, start: datetime, end: datetime) -> float:
    """The generator's true P(this person places a non-cancelled order in (start, end]).

    What a perfect model could know: the person's whole chat history (including messages
    after `start`) and the generator's odds and timing, but not its dice. `bench/ml.py`
    scores the lead-score holdout with it to print the best AUC possible on this world.
    """
    chance, first_signal = propensity(world, person)
    if first_signal is None:
        return 0.0
    window = (start - first_signal).total_seconds(), (end - first_signal).total_seconds()
    grid = [
        CHECKOUT_DELAY_S[0] + (CHECKOUT_DELAY_S[1] - CHECKOUT_DELAY_S[0]) * (i + 0.5) / 50
        for i in range(50)
    ]  # checkout times after the first signal, by quantile
    any_order = 0.0
    for at in grid:
        first = 1 - CANCEL_SHARE if window[0] < at <= window[1] else 0.0
        repeat = chance / 2 * (1 - CANCEL_SHARE) * _uniform_share(REPEAT_DELAY_S, window, at)
        any_order += 1 - (1 - first) * (1 - repeat)
    return chance * min(1.0, chance + CONVERT_BOOST) * any_order / len(grid)


def _uniform_share(bounds: tuple[int, int], window: tuple[float, float], offset: float) -> float:
    """P(offset + U(bounds) falls in (window]): the overlap over the bounds' width."""
    low, high = offset + bounds[0], offset + bounds[1]
    return max(0.0, min(high, window[1]) - max(low, window[0])) / (high - low)


def orders_by_person(world: World) -> dict[str, list[tuple[datetime, bool]]]:
    """Each person's orders as (created_at, cancelled): the demo's ground-truth outcomes."""
    out: dict[str, list[tuple[datetime, bool]]] = {}
    for person in world.people:
        bodies = [(d.topic, orjson.loads(d.body)) for d in _shopper(world, person)]
        cancelled = {b["id"] for topic, b in bodies if topic == "orders/cancelled"}
        out[person.key] = [
            (datetime.fromisoformat(b["created_at"]), b["id"] in cancelled)
            for topic, b in bodies
            if topic == "orders/create"
        ]
    return out


def _shopper(world: World, person: Person) -> list[CommerceDelivery]:
    """One person's checkouts and what followed them (nothing for most people)."""
    rng = random.Random(f"commerce:{world.seed}:{person.key}")
    chance, first_signal = propensity(world, person)
    if first_signal is None or rng.random() >= chance:
        return []
    ids = Ids(f"{world.seed}:{person.key}")
    buyer = _buyer(rng, ids, person)
    tz = timezone(timedelta(hours=UTC_OFFSET.get(person.country.code, -5)))
    start = first_signal.replace(microsecond=0) + timedelta(
        seconds=rng.randrange(*CHECKOUT_DELAY_S)
    )
    convert = rng.random() < chance + CONVERT_BOOST
    out = _checkout(rng, ids, buyer, start.astimezone(tz), convert)
    if convert and rng.random() < chance / 2:  # a repeat purchase
        later = start + timedelta(seconds=rng.randrange(*REPEAT_DELAY_S))
        out += _checkout(rng, ids, buyer, later.astimezone(tz), convert=True)
    return [d for d in out if d.at < world.now]


def _buyer(rng: random.Random, ids: Ids, person: Person) -> dict:
    """How this person identifies at the till: customer, guest e-mail, odd phone, CAPS."""
    style = rng.choices(("customer", "guest", "phone", "caps"), weights=(55, 20, 15, 10))[0]
    email = person.email.upper() if style == "caps" else person.email
    phone = "+" + person.phone.e164
    if style == "phone":
        dial, rest = person.country.dial, person.phone.e164[len(person.country.dial) :]
        spelt = (f"+{dial} {rest[:3]} {rest[3:]}", f"+{dial}-{rest}", f"({dial}) {rest}")
        phone = rng.choice(spelt)
        email = email if rng.random() < 0.5 else ""
    customer = {
        "id": ids.number(13),
        "email": email or None,
        "phone": phone if style != "guest" else None,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "state": "enabled",
        "currency": "USD",
    }
    return {"email": email, "phone": customer["phone"], "customer": customer, "guest": style}


def _checkout(
    rng: random.Random, ids: Ids, buyer: dict, at: datetime, convert: bool
) -> list[CommerceDelivery]:
    """checkouts/create and /update, then (if it converts) the order and its aftermath."""
    items, totals = basket(rng, ids)
    token = ids.hex()
    body = {
        "id": ids.number(10),
        "token": token,
        "cart_token": ids.hex(),
        "email": buyer["email"],
        "phone": buyer["phone"],
        "currency": "USD",
        "created_at": at.isoformat(),
        "updated_at": at.isoformat(),
        "completed_at": None,
        "line_items": items,
        **totals,
        "abandoned_checkout_url": f"https://{SHOP}/checkouts/{token}/recover",
    }
    if buyer["guest"] != "guest":
        body["customer"] = buyer["customer"]
    out = [_delivery(ids, "checkouts/create", body)]
    updated = at + timedelta(seconds=rng.randrange(120, 900))
    out.append(_delivery(ids, "checkouts/update", body | {"updated_at": updated.isoformat()}))
    if convert:
        ordered = updated + timedelta(seconds=rng.randrange(60, 1200))
        body |= {"updated_at": ordered.isoformat(), "completed_at": ordered.isoformat()}
        out.append(_delivery(ids, "checkouts/update", body))
        out += _order(rng, ids, body, ordered)
    return out


def _order(rng: random.Random, ids: Ids, checkout: dict, at: datetime) -> list[CommerceDelivery]:
    """orders/create, then paid (most), cancelled (a few) and now and then a refund."""
    keep = ("email", "phone", "currency", "line_items", "customer", "subtotal_price")
    order = {k: checkout[k] for k in keep if k in checkout} | {
        "id": ids.number(18),
        "name": f"#{ids.number(5)}",
        "checkout_token": checkout["token"],
        "total_price": checkout["total_price"],
        "total_tax": checkout["total_tax"],
        "financial_status": "pending",
        "cancelled_at": None,
        "created_at": at.isoformat(),
        "updated_at": at.isoformat(),
    }
    out = [_delivery(ids, "orders/create", order)]
    roll, later = rng.random(), at + timedelta(seconds=rng.randrange(60, 2700))
    if roll < CANCEL_SHARE:
        stamp = later.isoformat()
        order |= {"cancelled_at": stamp, "updated_at": stamp, "cancel_reason": "customer"}
        return [*out, _delivery(ids, "orders/cancelled", order)]
    order |= {"financial_status": "paid", "updated_at": later.isoformat()}
    out.append(_delivery(ids, "orders/paid", order))
    if roll > 0.85:
        refunded = later + timedelta(seconds=rng.randrange(86400, 6 * 86400))
        out.append(_delivery(ids, "refunds/create", refund_body(rng, ids, order, refunded)))
    return out


def _delivery(ids: Ids, topic: str, body: dict) -> CommerceDelivery:
    at = datetime.fromisoformat(body.get("updated_at") or body["created_at"])
    return CommerceDelivery(topic, ids.uuid(), orjson.dumps(body), at)
