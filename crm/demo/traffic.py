"""The world as Meta would deliver it: ordered, signed-ready webhook bodies.

Each message becomes one or more events (a business reply on WhatsApp becomes sent →
delivered → read statuses, some failed, some out of order; on Instagram and Messenger an
echo plus the person's receipts). Events are then packed into deliveries: some batch
several entries, and some deliveries are sent again verbatim later, as Meta retries do.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm.demo import meta_payloads as mp
from crm.demo.world import Message, World

EventKey = tuple[str, str, str | None]  # (channel, event_type, event_id); None: parser's choice


@dataclass(frozen=True)
class Delivery:
    """One POST body, the events in it, and whether it repeats an earlier one."""

    body: bytes
    object: str
    events: tuple[EventKey, ...]
    redelivery: bool = False


@dataclass(frozen=True)
class Traffic:
    """Every delivery in sending order, with what should land."""

    deliveries: tuple[Delivery, ...]

    @property
    def originals(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.redelivery]

    def expected_events(self) -> Counter[tuple[str, str]]:
        """How many distinct raw.channel_events rows each (channel, event_type) should get."""
        return Counter((c, t) for d in self.originals for c, t, _ in d.events)

    def known_keys(self) -> set[tuple[str, str, str]]:
        """The event keys whose id the contract fixes (wamid, mid, wamid:status, comment id)."""
        return {(c, t, i) for d in self.originals for c, t, i in d.events if i is not None}


@dataclass(frozen=True)
class _Unit:
    channel: str
    at: datetime
    piece: dict  # a WhatsApp change value, or an Instagram / Page entry
    events: tuple[EventKey, ...]


def build_traffic(
    world: World, batch_share: float = 0.15, redelivery_share: float = 0.05
) -> Traffic:
    """All deliveries for a world, deterministic for its seed."""
    rng = random.Random(world.seed * 7919 + 1)
    units = [u for m in world.messages for u in _units(rng, world, m)]
    units.sort(key=lambda u: u.at)
    return Traffic(tuple(_pack(rng, units, batch_share, redelivery_share)))


def encode(body: dict) -> bytes:
    """Compact JSON with non-ASCII escaped, as Meta sends it (sign these exact bytes)."""
    return json.dumps(body, separators=(",", ":")).encode()


def _units(rng: random.Random, world: World, msg: Message) -> list[_Unit]:
    person = world.person(msg.person)
    if msg.kind == "comment":
        entry = mp.comment_entry(person, msg)
        event_id = entry["changes"][0]["value"].get("comment_id", msg.id)
        return [_Unit(msg.channel, msg.at, entry, ((msg.channel, "comment", event_id),))]
    if msg.channel == "whatsapp":
        if msg.direction == "inbound":
            kind = "reaction" if msg.kind == "reaction" else "message"
            value = mp.wa_message_value(person, msg)
            return [_Unit("whatsapp", msg.at, value, (("whatsapp", kind, msg.id),))]
        return _wa_statuses(rng, world, msg)
    event = mp.messaging_event(person, msg)
    if msg.direction == "inbound":
        kind = {"reaction": "reaction", "postback": "postback"}.get(msg.kind, "message")
        key = msg.id if kind == "message" else None
        entry = mp.messaging_entry(msg.channel, [event])
        return [_Unit(msg.channel, msg.at, entry, ((msg.channel, kind, key),))]
    units = [
        _Unit(
            msg.channel,
            msg.at,
            mp.messaging_entry(msg.channel, [event]),
            ((msg.channel, "echo", msg.id),),
        )
    ]
    receipts = ("delivery", "read") if msg.channel == "messenger" else ("read",)
    at = msg.at
    for kind in receipts:
        if rng.random() < 0.75:
            at += timedelta(seconds=rng.uniform(1, 3600))
            event = mp.receipt_event(person, msg.channel, at, kind, [msg.id])
            units.append(
                _Unit(
                    msg.channel,
                    at,
                    mp.messaging_entry(msg.channel, [event]),
                    ((msg.channel, "receipt", None),),
                )
            )
    return units


def _wa_statuses(rng: random.Random, world: World, msg: Message) -> list[_Unit]:
    """sent → delivered → read for a business message; ~4 % fail; ~10 % arrive out of order."""
    person = world.person(msg.person)
    conversation = hashlib.md5(f"{person.key}{msg.at:%Y%m%d}".encode()).hexdigest()
    steps = [("sent", msg.at)]
    if rng.random() < 0.04:
        steps.append(("failed", msg.at + timedelta(seconds=rng.uniform(1, 5))))
    else:
        delivered = msg.at + timedelta(seconds=rng.uniform(1, 30))
        steps.append(("delivered", delivered))
        if rng.random() < 0.8:
            steps.append(("read", delivered + timedelta(seconds=rng.uniform(5, 7200))))
    units = []
    for status, at in steps:
        value = mp.wa_status_value(person, msg.id, status, at, conversation)
        arrives = at + timedelta(hours=3) if status == "delivered" and rng.random() < 0.1 else at
        units.append(
            _Unit("whatsapp", arrives, value, (("whatsapp", "status", f"{msg.id}:{status}"),))
        )
    return units


def _pack(
    rng: random.Random, units: list[_Unit], batch_share: float, redelivery_share: float
) -> list[Delivery]:
    """Group units into deliveries (some batched), then re-send some of them later."""
    out: list[Delivery] = []
    taken: set[int] = set()
    for i, head in enumerate(units):
        if i in taken:
            continue
        group = [head]
        if rng.random() < batch_share:
            want = rng.randrange(2, 5)
            for j in range(i + 1, min(i + 13, len(units))):
                if len(group) < want and j not in taken and units[j].channel == head.channel:
                    group.append(units[j])
                    taken.add(j)
        out.append(_delivery(group))
    for i in reversed(range(len(out))):
        if not out[i].redelivery and rng.random() < redelivery_share:
            copy = Delivery(out[i].body, out[i].object, out[i].events, redelivery=True)
            out.insert(min(len(out), i + rng.randrange(3, 40)), copy)
    return out


def _delivery(group: list[_Unit]) -> Delivery:
    channel = group[0].channel
    pieces = [u.piece for u in group]
    if channel == "whatsapp":
        body = mp.whatsapp_delivery(pieces)
    elif channel == "instagram":
        body = mp.instagram_delivery(pieces)
    else:
        body = mp.page_delivery(pieces)
    return Delivery(encode(body), body["object"], tuple(e for u in group for e in u.events))
