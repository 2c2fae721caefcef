"""The LLM as teacher: real inbound messages labelled by an LLM, as extra training data.

`label_messages` takes the customers' messages from `raw.channel_events` (inbound
`message` events with text), masks personal data, skips texts already labelled (the
key is the hash of the masked text), asks the classifier for each new one up to a limit,
and stores what it answered in `ml.teacher_labels`. Only LLM answers are stored: when
every provider fails for a message it is left for the next run.

`teacher_examples` reads them back in the corpus's columns; training adds them to the
training data only (`ml.text.training`), so the models are still measured on the
hand-written held-out set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import psycopg

from crm.conversation.pii import mask
from ml.text.corpus import COLUMNS

MESSAGES_SQL = """
select text from raw.channel_events
where event_type = 'message' and direction = 'inbound' and text is not null
  and btrim(text) <> ''
group by text order by min(id)
"""
INSERT_SQL = """
insert into ml.teacher_labels (text_hash, text, language, intent, confidence, sentiment,
  sentiment_label, provider, model, prompt_version)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
on conflict (text_hash) do nothing
"""


@dataclass(frozen=True)
class TeacherLabel:
    """What the teacher said about one message."""

    intent: str
    confidence: float
    sentiment: float
    sentiment_label: str
    provider: str
    model: str
    prompt_version: str


@dataclass(frozen=True)
class TeachReport:
    labelled: int
    already: int
    failed: int


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def label_messages(
    conn: psycopg.Connection,
    teacher: Callable[[str], TeacherLabel | None],
    language: Callable[[str], str],
    limit: int,
) -> TeachReport:
    """Label up to `limit` distinct messages not labelled yet; each stored as it comes."""
    known = {row[0] for row in conn.execute("select text_hash from ml.teacher_labels")}
    labelled = failed = already = 0
    for (raw_text,) in conn.execute(MESSAGES_SQL).fetchall():
        if labelled + failed >= limit:
            break
        text = mask(raw_text.strip())
        key = text_hash(text)
        if key in known:
            already += 1
            continue
        known.add(key)
        label = teacher(text)
        if label is None:
            failed += 1
            continue
        conn.execute(INSERT_SQL, (key, text, language(text), *_values(label)))
        labelled += 1
    return TeachReport(labelled, already, failed)


def _values(label: TeacherLabel) -> tuple:
    return (
        label.intent,
        label.confidence,
        label.sentiment,
        label.sentiment_label,
        label.provider,
        label.model,
        label.prompt_version,
    )


def teacher_examples(conn: psycopg.Connection) -> pd.DataFrame:
    """The teacher's labels as corpus rows (`COLUMNS`), in labelling order; none when the
    table does not exist yet."""
    try:
        rows = conn.execute(
            "select text, language, intent, sentiment_label, text from ml.teacher_labels"
            " order by labelled_at, text_hash"
        ).fetchall()
    except psycopg.errors.UndefinedTable:
        conn.rollback()
        rows = []
    return pd.DataFrame(rows, columns=COLUMNS)
