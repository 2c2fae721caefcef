"""Which lead a sender is, in real time, without waiting for the nightly pipeline.

Deterministic rules, first hit wins: the thread already known to the engine; the identity
issue's real-time linker (`ingestion.identity.realtime.link_sender`: the sender's id, or a
phone / e-mail key owned by exactly one lead); then, for a database its pipeline has not
filled yet, the channel id in `marts.map_identity`, a WhatsApp number equal to a lead's
phone or an e-mail written in the message equal to a lead's e-mail in `marts.dim_leads`.
A sender nobody knows gets the id the pipeline will give it (`md5(channel:source_id)`),
so the marts and the engine agree.
"""

from __future__ import annotations

import hashlib
import re

import psycopg
import sqlalchemy as sa

from crm.database import get_engine
from ingestion.identity.realtime import link_sender

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def new_lead_id(channel: str, source_id: str) -> str:
    """The lead id dbt assigns to a source identity of its own (`key([source, source_id])`)."""
    return hashlib.md5(f"{channel}:{source_id}".encode()).hexdigest()


def _linked(channel: str, source_id: str, emails: list[str]) -> str | None:
    """The identity resolver's answer; None while its tables are not there yet."""
    phone = "+" + source_id if channel == "whatsapp" and source_id.isdigit() else None
    try:
        link = link_sender(get_engine(), channel, source_id, phone, next(iter(emails), None))
    except sa.exc.ProgrammingError:  # ml.identity_links not migrated in this database
        return None
    return link.lead_id if link else None


def _marts_ready(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "select to_regclass('marts.map_identity') is not null"
        " and to_regclass('marts.dim_leads') is not null"
    ).fetchone()
    return bool(row and row[0])


def _first(conn: psycopg.Connection, query: str, params: dict) -> str | None:
    row = conn.execute(query, params).fetchone()
    return row[0] if row else None


def lookup_lead(
    conn: psycopg.Connection, channel: str, source_ids: list[str], text: str | None = None
) -> str | None:
    """The known lead of this sender, or None: engine threads, then the marts' identities."""
    params = {"channel": channel, "ids": source_ids}
    known = _first(
        conn,
        "select lead_id from app.conversations where channel = %(channel)s"
        " and person_id = any(%(ids)s) limit 1",
        params,
    )
    emails = [e.lower() for e in EMAIL.findall(text or "")]
    if known:
        return known
    linked = _linked(channel, source_ids[0], emails)
    if linked or not _marts_ready(conn):
        return linked
    by_id = _first(
        conn,
        "select lead_id from marts.map_identity where source = %(channel)s"
        " and source_id = any(%(ids)s) order by match_confidence desc limit 1",
        params,
    )
    if by_id:
        return by_id
    phones = ["+" + i for i in source_ids if channel == "whatsapp" and i.isdigit()]
    if not phones and not emails:
        return None
    return _first(
        conn,
        "select lead_id from marts.dim_leads where phone_e164 = any(%(phones)s)"
        " or lower(email) = any(%(emails)s) order by last_seen_at desc nulls last limit 1",
        {"phones": phones, "emails": emails},
    )


def resolve_lead(
    conn: psycopg.Connection, channel: str, source_ids: list[str], text: str | None = None
) -> str:
    """The sender's lead id: a known one, else the one the pipeline will assign."""
    return lookup_lead(conn, channel, source_ids, text) or new_lead_id(channel, source_ids[0])
