"""A seeded, deterministic sample world: people and their chats with the business.

A few hundred people write over the last ~30 days on WhatsApp, Instagram or Messenger
(some on two), in conversations that follow a script of intents, sometimes pausing more
than 24 h (so conversation splitting has work to do), with the business's replies in
between. Same seed, same `now`: same world, byte for byte; ids depend on the seed only,
so re-running the demo on another day redelivers instead of duplicating.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from crm.demo.people import Person, make_person
from crm.demo.phrases import PRODUCTS, SCRIPTS, business_text, customer_text

IG_MID_PREFIX = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx"
_BUTTONS = {
    "button_reply": {"es": "Sí, quiero", "en": "Yes please"},
    "postback": {"es": "Empezar", "en": "Get Started"},
}


@dataclass(frozen=True)
class Message:
    """One thing a person or the business said on a channel (or a reaction, comment...)."""

    id: str  # wamid / mid / comment id, unique in the world
    person: str  # Person.key
    channel: str  # whatsapp, instagram, messenger
    direction: str  # inbound (the person) or outbound (the business)
    at: datetime
    kind: str  # text, image, audio, location, button_reply, reaction, postback, comment
    text: str | None = None
    intent: str | None = None
    ref: str | None = None  # the message (or post) this one refers to


@dataclass(frozen=True)
class World:
    """The whole sample: who exists and what was said, in time order."""

    seed: int
    now: datetime
    people: tuple[Person, ...]
    messages: tuple[Message, ...]

    def person(self, key: str) -> Person:
        return self._index[key]

    @cached_property
    def _index(self) -> dict[str, Person]:
        return {p.key: p for p in self.people}


@dataclass
class _Ids:
    """Channel-shaped ids from a seed and a counter: unique, deterministic, realistic."""

    namespace: str
    n: int = 0
    seen: set[str] = field(default_factory=set)

    def _token(self) -> bytes:
        self.n += 1
        return hashlib.sha256(f"{self.namespace}:{self.n}".encode()).digest()[:18]

    def wamid(self, wa: str) -> str:
        return "wamid." + base64.b64encode(b"\x1c\x18\x0c" + wa.encode() + self._token()).decode()

    def mid(self, channel: str) -> str:
        token = base64.urlsafe_b64encode(self._token()).decode().rstrip("=")
        return (IG_MID_PREFIX + token) if channel == "instagram" else f"m_{token}"

    def number(self, digits: int = 17) -> str:
        return str(10 ** (digits - 1) + int.from_bytes(self._token()) % (9 * 10 ** (digits - 1)))

    def for_message(self, person: Person, channel: str, kind: str) -> str:
        if kind == "comment":
            return self.number()
        return self.wamid(person.phone.wa_id) if channel == "whatsapp" else self.mid(channel)


def build_world(
    seed: int = 7,
    people: int = 300,
    now: datetime | None = None,
    days: int = 30,
    namespace: str = "",
) -> World:
    """The sample world for a seed (pass `now` too for a byte-identical rebuild)."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    ids = _Ids(namespace or f"demo-{seed}")
    persons = tuple(make_person(rng, i) for i in range(people))
    messages: list[Message] = []
    for person in persons:
        for channel, start in _threads(rng, person, now, days):
            messages.extend(_conversation(rng, ids, person, channel, start, now))
    messages.sort(key=lambda m: (m.at, m.id))
    return World(seed=seed, now=now, people=persons, messages=tuple(messages))


def _threads(rng: random.Random, person: Person, now: datetime, days: int):
    """When each of a person's conversations starts, and on which of their channels."""
    count = rng.choice((1, 1, 2, 2, 3)) + (len(person.channels) - 1)
    starts = sorted(now - timedelta(seconds=rng.uniform(3600, days * 86400)) for _ in range(count))
    channels = list(person.channels) + [rng.choice(person.channels) for _ in range(count)]
    return list(zip(channels, starts, strict=False))


def _conversation(
    rng: random.Random, ids: _Ids, person: Person, channel: str, start: datetime, now: datetime
) -> list[Message]:
    """One scripted exchange: customer lines, business replies, pauses, reactions."""
    context = _context(rng, person)
    out: list[Message] = []

    def say(at: datetime, direction: str, kind: str, text: str | None, **extra: str) -> None:
        msg_id = ids.for_message(person, channel, kind)
        out.append(Message(msg_id, person.key, channel, direction, at, kind, text, **extra))

    t = start
    if channel != "whatsapp" and rng.random() < 0.15:
        out.append(_comment(rng, ids, person, channel, t, context))
        t += timedelta(minutes=rng.uniform(2, 90))
    for step, intent in enumerate(rng.choice(SCRIPTS)):
        if step:
            pause = rng.random() < 0.12  # back after more than a day: a new conversation
            t += timedelta(hours=rng.uniform(25, 60) if pause else rng.uniform(0.01, 0.25))
        if t >= now:
            break
        kind = _kind(rng, channel, step, out)
        text = (
            _BUTTONS[kind][person.language]
            if kind in _BUTTONS
            else (
                None
                if kind in ("audio", "location")
                else customer_text(rng, person.language, intent, context)
            )
        )
        ref = out[-1].id if kind == "button_reply" else None
        say(t, "inbound", kind, text, intent=intent, ref=ref)
        if rng.random() < 0.8 and (reply_at := t + timedelta(minutes=rng.uniform(1, 20))) < now:
            t = reply_at
            say(
                t,
                "outbound",
                "text",
                business_text(person.language, intent, context),
                intent=intent,
            )
            if channel != "messenger" and rng.random() < 0.08:
                t += timedelta(minutes=rng.uniform(1, 5))
                say(t, "inbound", "reaction", rng.choice("👍❤😂🙏"), ref=out[-1].id)
    return [m for m in out if m.at < now]


def _kind(rng: random.Random, channel: str, step: int, so_far: list[Message]) -> str:
    """Mostly text; sometimes media, a location, a button tap or a Messenger postback."""
    if channel == "messenger" and step == 0 and rng.random() < 0.3:
        return "postback"
    roll = rng.random()
    if so_far and so_far[-1].direction == "outbound" and channel == "whatsapp" and roll < 0.06:
        return "button_reply"
    if roll < 0.12:
        return "image"
    if channel == "whatsapp" and roll < 0.16:
        return "audio"
    if channel == "whatsapp" and roll < 0.18:
        return "location"
    return "text"


def _comment(
    rng: random.Random,
    ids: _Ids,
    person: Person,
    channel: str,
    t: datetime,
    context: dict[str, str],
) -> Message:
    """A public comment on one of the business's posts, which often leads to a DM."""
    post = ids.number() if channel == "instagram" else f"{ids.number(15)}_{ids.number(16)}"
    text = customer_text(
        rng, person.language, rng.choice(("price_inquiry", "product_inquiry")), context
    )
    return Message(ids.number(), person.key, channel, "inbound", t, "comment", text, None, post)


def _context(rng: random.Random, person: Person) -> dict[str, str]:
    """The blanks a script fills: product, city, order number, price, name."""
    return {
        "p": rng.choice(PRODUCTS[person.language]),
        "city": rng.choice(person.country.cities)[0],
        "o": str(rng.randrange(10000, 99999)),
        "price": f"{rng.randrange(19, 1500)}.{rng.choice(('00', '99', '50'))}",
        "n": person.first_name,
    }
