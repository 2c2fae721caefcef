"""`crm worker`: the queue is `raw.channel_events` itself, claimed with SKIP LOCKED.

Landing stays untouched (no enqueue on the webhook path): the worker polls for landed
events that `app.processed_events` does not hold yet, locks a batch with `FOR NO KEY
UPDATE SKIP LOCKED` (several workers share the work; the landing's inserts never wait on
it), and processes each event in a savepoint of the batch's transaction, which also
writes its log row. Kill the worker anywhere and the batch rolls back as a whole: the
events are claimed again, nothing they wrote survives, and unique keys (the log row, the
outbox idempotency key) make a replay write nothing twice. A bug on one event is logged
as `failed` for that event instead of blocking the queue.

A second thread drains the outbox (`senders`) and notifies agents of handoffs, so slow
Meta or agent endpoints never delay understanding and queuing replies.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import httpx
import psycopg
from psycopg.rows import dict_row

from crm.conversation.config import EngineConfig
from crm.conversation.escalation import notify_due
from crm.conversation.processing import log_event, process_event
from crm.conversation.senders import GraphSender, RateLimiter, drain
from crm.conversation.understanding import Reading
from crm.settings import Settings

log = logging.getLogger(__name__)
QUEUED_TYPES = ["message", "postback", "status", "receipt", "comment"]
PENDING = """
from raw.channel_events ce
where ce.id > %(floor)s and ce.event_type = any(%(types)s)
  and not exists (select 1 from app.processed_events p where p.event_row_id = ce.id)
"""
CLAIM_SQL = f"""
select ce.id, ce.channel, ce.event_type, ce.event_id, ce.subtype, ce.business_id,
       ce.person_id, ce.person_user_id, ce.occurred_at, ce.text, ce.reply_to, ce.payload,
       ce.received_at
{PENDING}
order by ce.id limit %(limit)s
for no key update of ce skip locked
"""
DONE_SQL = "select 1 from app.processed_events where event_row_id = %s"
# Everything at or below the floor is processed: the oldest pending row, but never past
# rows younger than a landing transaction can take to commit (ids are given out before).
FLOOR_SQL = f"""
select least(
    coalesce((select min(ce.id) - 1 {PENDING}), 9223372036854775807),
    coalesce((select max(id) from raw.channel_events
              where id > %(floor)s and received_at < now() - interval '1 minute'), %(floor)s)
)
"""


class Processor:
    """Claims and processes batches of landed events.

    Two lower bounds: `cursor`, past the last event this worker claimed (the fast path:
    only new rows are looked at), and `floor`, below which everything is processed (the
    catch-up path when nothing new is there: rows another worker skipped and then
    released, or a landing transaction that committed after a younger one).
    """

    def __init__(self, conn: psycopg.Connection, config: EngineConfig, batch: int = 5):
        """`batch`: at most this many events per transaction (each in its own savepoint).
        With no backlog a claim finds one event and it commits at once; with a backlog one
        claim and one commit serve several (the commit's flush dominated the cost)."""
        self.conn, self.config, self.batch = conn, config, batch
        self.floor = self.cursor = 0

    def run_once(self) -> int:
        """Process one batch; the number of events claimed."""
        with self.conn.transaction():
            events = self._claim(self.cursor) or self._claim(self.floor)
            readings = self._read(events)
            for event in events:
                self._one(event, readings.get(event["id"]))
        if events:
            self.cursor = max(self.cursor, events[-1]["id"])
        return len(events)

    def _claim(self, after: int) -> list[dict]:
        params = {"floor": after, "types": QUEUED_TYPES, "limit": self.batch}
        return self.conn.cursor(row_factory=dict_row).execute(CLAIM_SQL, params).fetchall()

    def _read(self, events: list[dict]) -> dict[int, Reading]:
        """The text models' answers for the batch's messages, in one call: a batch costs
        little more than one message, so a backlog drains faster the longer it is."""
        messages = [e for e in events if e["event_type"] == "message" and e["text"]]
        try:
            readings = self.config.models.classify_many([e["text"] for e in messages])
        except Exception:  # each event asks again on its own, and fails alone if it must
            log.exception("classifying a batch of %d messages failed", len(messages))
            return {}
        return {event["id"]: reading for event, reading in zip(messages, readings, strict=True)}

    def _one(self, event: dict, reading: Reading | None) -> None:
        # The claim's snapshot predates its lock: another worker may have processed and
        # committed this event in between. A new statement sees that commit.
        if self.conn.execute(DONE_SQL, (event["id"],)).fetchone():
            return
        try:
            with self.conn.transaction():
                process_event(self.conn, event, self.config, reading)
        except Exception as exc:  # one bad event must not block the queue
            log.exception("event %s failed", event["id"])
            with self.conn.transaction():
                log_event(self.conn, event, "failed", reasons=[f"{type(exc).__name__}: {exc}"])

    def advance_floor(self) -> None:
        params = {"floor": self.floor, "types": QUEUED_TYPES}
        self.floor = max(self.floor, self.conn.execute(FLOOR_SQL, params).fetchone()[0])


def _loop(step, stop: threading.Event, idle: float, tick=None, tick_every: float = 5.0):
    """Run `step` until stopped, sleeping `idle` seconds whenever it found nothing; a lost
    connection is raised to `_connected`, any other failure retried after a pause."""
    last_tick = 0.0
    while not stop.is_set():
        try:
            busy = step()
            if tick and time.monotonic() - last_tick > tick_every:
                tick()
                last_tick = time.monotonic()
        except psycopg.OperationalError:
            raise
        except Exception:  # a bug on one step: it rolled back; try again later
            log.exception("worker step failed, retrying")
            busy = 0
            stop.wait(2.0)
        if not busy:
            stop.wait(idle)


def _connected(conninfo: str, stop: threading.Event, idle: float, build) -> None:
    """`_loop` over the steps `build(conn)` returns, reconnecting when the database goes."""
    while not stop.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                step, tick = build(conn)
                _loop(step, stop, idle, tick)
        except psycopg.OperationalError as exc:
            log.error("database connection lost, reconnecting: %s", exc)
            stop.wait(2.0)


def run_worker(
    conninfo: str,
    settings: Settings,
    stop: threading.Event,
    poll_interval: float = 0.05,
    heartbeat: Path | None = None,
) -> None:
    """Process inbound events and drain the outbox until `stop` is set; `heartbeat` is
    touched every few seconds while the processing loop runs (a container healthcheck)."""
    config = EngineConfig.from_settings(settings)
    sender_thread = threading.Thread(
        target=_connected,
        args=(conninfo, stop, poll_interval * 4, lambda conn: (_sender_step(conn, settings), None)),
        name="outbox-sender",
        daemon=True,
    )
    sender_thread.start()

    def build(conn: psycopg.Connection):
        processor = Processor(conn, config)

        def tick() -> None:
            processor.advance_floor()
            if heartbeat:
                heartbeat.touch()

        return processor.run_once, tick

    _connected(conninfo, stop, poll_interval, build)
    sender_thread.join(timeout=10)


def drain_queue(conninfo: str, settings: Settings, batch: int = 50) -> int:
    """Process every pending event, then send (or dry-run) everything the outbox holds,
    and return; the number of events processed. For one-off catch-ups and the demo
    (`crm worker --drain`): the same steps as the long-running worker, run to empty."""
    config = EngineConfig.from_settings(settings)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        processor, total = Processor(conn, config, batch=batch), 0
        while claimed := processor.run_once():
            total += claimed
        send = _sender_step(conn, settings)
        while send():
            pass
    return total


def _sender_step(conn: psycopg.Connection, settings: Settings):
    """One round of the sender thread: drain the outbox, notify agents of handoffs."""
    limiter = RateLimiter(settings.send_rate_per_second)
    http = httpx.Client(timeout=httpx.Timeout(10.0, connect=3.0))
    sender = GraphSender(settings, http)
    secret = settings.escalation_secret()

    def step() -> int:
        sent = drain(conn, sender, limiter)
        with conn.transaction():
            notified = notify_due(conn, settings.escalation_webhook_url, secret, http)
        return sent + notified

    return step
