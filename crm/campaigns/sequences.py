"""The sequence engine both campaign flows share: enrol, advance due steps, exit, report.

A run, per sequence and in one transaction: enrol the candidates the flow found (one row
per sequence, lead and subject, so enrolling twice adds nothing), then take every active
enrolment whose next step is due with `FOR UPDATE SKIP LOCKED` (a second runner skips what
the first holds), end it if the lead replied, bought or opted out, else take the step:
queue the message through `reach.send` keyed `<sequence>:<subject>:<step>` (a replay queues
nothing twice), or, for the hold-out group, log the step without sending, so the lift of
the sequence can be measured against leads that got nothing. Dry runs roll it all back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from crm.campaigns.exits import exit_reason
from crm.campaigns.reach import Message, find_contact, send
from crm.campaigns.sequence_config import Sequence, Step
from crm.settings import get_settings

DUE_SQL = """
select * from app.campaign_enrollments
where sequence = %s and status = 'active' and next_due_at <= %s
order by next_due_at, enrollment_id
for update skip locked
"""
ENROL_SQL = """
insert into app.campaign_enrollments
    (sequence, flow, lead_id, subject, test_group, enrolled_at, anchor_at, next_due_at, context)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s)
on conflict (sequence, lead_id, subject) do nothing returning enrollment_id
"""
LOG_STEP_SQL = """
insert into app.campaign_steps
    (enrollment_id, step, outbox_id, kind, channel, outcome, reason, acted_at)
values (%s, %s, %s, %s, %s, %s, %s, %s) on conflict do nothing
"""
MOVE_SQL = """
update app.campaign_enrollments
set step = %s, status = %s, exit_reason = %s, next_due_at = %s, updated_at = %s
where enrollment_id = %s
"""
GREETING = {"es": "cliente", "en": "there"}


@dataclass(frozen=True)
class Candidate:
    """Someone a flow wants to enrol: the lead, what the sequence is about (the lead or a
    cart), when its delays start, and what its messages and exit checks need."""

    lead_id: str
    subject: str
    anchor_at: datetime
    context: dict[str, Any]


@dataclass(frozen=True)
class Action:
    """One thing a run did to one enrolment (enrolled, queued, held_out, skipped, exited,
    completed), with the step, the message and why."""

    sequence: str
    lead_id: str
    subject: str
    group: str
    action: str
    step: int | None = None
    kind: str | None = None
    channel: str | None = None
    outbox_id: int | None = None
    reason: str = ""


@dataclass
class Tally:
    """Counts of one sequence's run."""

    sequence: str
    enrolled: int = 0
    held_out: int = 0
    sent: int = 0
    skipped: int = 0
    completed: int = 0
    exited: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, sequence: str, actions: list[Action]) -> Tally:
        count = Counter(action.action for action in actions)
        exits = Counter(action.reason for action in actions if action.action == "exited")
        held = sum(1 for a in actions if a.action == "enrolled" and a.group == "holdout")
        return cls(
            sequence,
            enrolled=count["enrolled"],
            held_out=held,
            sent=count["queued"],
            skipped=count["skipped"],
            completed=count["completed"],
            exited=dict(exits),
        )


@dataclass(frozen=True)
class Report:
    dry_run: bool
    tallies: list[Tally]
    actions: list[Action]


Candidates = Callable[[psycopg.Connection, Sequence, datetime], list[Candidate]]


def in_holdout(lead_id: str, sequence: str, share: float) -> bool:
    """Deterministic: the same lead is held out of the same sequence on every run."""
    digest = hashlib.sha256(f"{sequence}:{lead_id}".encode()).hexdigest()
    return int(digest[:15], 16) / 16**15 < share


def due_at(step: Step, anchor_at: datetime, previous_at: datetime) -> datetime:
    """When `step` is due: its delay after the start (anchor) or after the previous step."""
    start = previous_at if step.after == "previous" else anchor_at
    return start + timedelta(hours=step.delay_hours)


def render(step: Step, context: dict[str, Any], language: str) -> Message:
    """The step's text in the lead's language (else Spanish) and its template parameters,
    filled from the lead's or cart's fields and the step's incentive."""
    language = language if language in step.text else "es"
    fields = {k: str(v) for k, v in context.items() if v is not None}
    fields["first_name"] = fields.get("first_name") or GREETING[language]
    if step.incentive:
        fields["incentive"] = step.incentive.text.get(language) or step.incentive.text["es"]
        fields["code"] = step.incentive.code
    text = step.text[language].format_map(_Blank(fields))
    parameters = tuple(fields.get(name) or "-" for name in step.template.parameters)
    return Message(text, step.template.name, parameters)


class _Blank(dict):
    """format_map fields; an unknown one renders empty rather than failing a whole run."""

    def __missing__(self, key: str) -> str:
        return ""


def enrol(
    conn: psycopg.Connection, sequence: Sequence, candidates: list[Candidate], now: datetime
) -> list[Action]:
    """Enrol each candidate once (in a stable order, so concurrent runners never deadlock),
    in the group its hash gives it, its first step due after the step's delay."""
    actions = []
    for candidate in sorted(candidates, key=lambda c: (c.lead_id, c.subject)):
        held = in_holdout(candidate.lead_id, sequence.name, sequence.holdout_share)
        group = "holdout" if held else "treatment"
        first_due = due_at(sequence.steps[0], candidate.anchor_at, candidate.anchor_at)
        row = conn.execute(
            ENROL_SQL,
            (
                sequence.name,
                sequence.flow,
                candidate.lead_id,
                candidate.subject,
                group,
                now,
                candidate.anchor_at,
                first_due,
                Jsonb(candidate.context),
            ),
        ).fetchone()
        if row:
            reason = "hold-out: enrolled, never messaged" if held else ""
            actions.append(
                Action(
                    sequence.name,
                    candidate.lead_id,
                    candidate.subject,
                    group,
                    "enrolled",
                    reason=reason,
                )
            )
    return actions


def _message_step(
    conn: psycopg.Connection, sequence: Sequence, row: dict, number: int, now: datetime
) -> Action:
    """Send step `number` (1-based) to a treatment lead, or say why nothing went."""
    step, context = sequence.steps[number - 1], row["context"]
    ids = (sequence.name, row["lead_id"], row["subject"], row["test_group"])
    contact = find_contact(
        conn,
        row["lead_id"],
        context.get("phone"),
        context.get("language") or "es",
        get_settings().whatsapp_phone_number_id,
        channels=step.channels,
        now=now,
    )
    if contact is None:
        return Action(*ids, "skipped", number, reason="no channel to reach the lead")
    key = f"{sequence.name}:{row['subject']}:{number}"
    sent = send(conn, contact, render(step, context, contact.language), sequence.flow, key, now)
    action = "queued" if sent.kind else "skipped"
    return Action(*ids, action, number, sent.kind, contact.channel, sent.outbox_id, sent.reason)


def _advance_one(
    conn: psycopg.Connection, sequence: Sequence, row: dict, now: datetime
) -> list[Action]:
    """Exit the enrolment if its lead replied, bought or opted out; else take its due step
    (a message, or nothing for the hold-out), log it, and schedule the next or complete."""
    ids = (sequence.name, row["lead_id"], row["subject"], row["test_group"])
    reason = exit_reason(conn, row["lead_id"], row["context"], row["enrolled_at"], sequence.exit_on)
    number = row["step"] + 1
    if reason is None and row["test_group"] == "holdout":
        taken = Action(*ids, "held_out", number, reason="hold-out: not messaged")
    elif reason is None:
        taken = _message_step(conn, sequence, row, number, now)
        reason = "opted_out" if taken.reason == "opted out" else None
    if reason:
        conn.execute(MOVE_SQL, (row["step"], "exited", reason, None, now, row["enrollment_id"]))
        return [Action(*ids, "exited", row["step"], reason=reason)]
    conn.execute(
        LOG_STEP_SQL,
        (
            row["enrollment_id"],
            number,
            taken.outbox_id,
            taken.kind,
            taken.channel,
            taken.action,
            taken.reason,
            now,
        ),
    )
    if number == len(sequence.steps):
        conn.execute(MOVE_SQL, (number, "completed", None, None, now, row["enrollment_id"]))
        return [taken, Action(*ids, "completed", number)]
    following = due_at(sequence.steps[number], row["anchor_at"], now)
    conn.execute(MOVE_SQL, (number, "active", None, following, now, row["enrollment_id"]))
    return [taken]


def advance(conn: psycopg.Connection, sequence: Sequence, now: datetime) -> list[Action]:
    """Take every due step of this sequence that no other runner holds."""
    rows = conn.cursor(row_factory=dict_row).execute(DUE_SQL, (sequence.name, now)).fetchall()
    return [action for row in rows for action in _advance_one(conn, sequence, row, now)]


def run(
    conn: psycopg.Connection,
    sequences: list[Sequence],
    candidates: Candidates,
    now: datetime,
    dry_run: bool = False,
) -> Report:
    """Enrol and advance each sequence in its own transaction (a dry run wraps them all
    in one that is rolled back); what was done, per sequence and per lead."""
    tallies, actions = [], []
    with conn.transaction(force_rollback=True) if dry_run else nullcontext():
        for sequence in sequences:
            with conn.transaction():
                done = enrol(conn, sequence, candidates(conn, sequence, now), now)
                done += advance(conn, sequence, now)
            tallies.append(Tally.of(sequence.name, done))
            actions += done
    return Report(dry_run, tallies, actions)
