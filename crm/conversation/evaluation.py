"""The bot evaluation: scripted conversations (`evalset.yaml`, Spanish and English) played
through the real engine (landing, processing, routing, escalation, closure), with the
route, escalation and closure each ends with compared to what the script expects."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg
import yaml

from crm.conversation.config import EngineConfig
from crm.conversation.worker import Processor
from crm.demo.chat_payloads import whatsapp_text
from ingestion.landing import land, prepare_delivery

EVALSET = Path(__file__).resolve().parent / "evalset.yaml"


@dataclass(frozen=True)
class Script:
    id: str
    lang: str
    turns: list[str]
    route: str
    escalated: bool
    closed: bool


@dataclass(frozen=True)
class Outcome:
    script: Script
    route: str
    escalated: bool
    closed: bool

    @property
    def passed(self) -> bool:
        got = (self.route, self.escalated, self.closed)
        return got == (self.script.route, self.script.escalated, self.script.closed)


def load_scripts(path: Path = EVALSET) -> list[Script]:
    return [Script(**item) for item in yaml.safe_load(path.read_text())]


def play(
    conninfo: str, conn: psycopg.Connection, script: Script, config: EngineConfig, number: int
) -> Outcome:
    """Send the script's turns one by one (each processed before the next), read the end."""
    person = f"5079{number:07d}"
    processor = Processor(conn, config)
    for turn, text in enumerate(script.turns):
        body = whatsapp_text(f"wamid.eval.{script.id}.{turn}.{number}", person, text)
        land(conninfo, [prepare_delivery(json.dumps(body).encode())])
        while processor.run_once():
            pass
    route, escalated, closed = conn.execute(
        "select c.route, exists (select 1 from app.handoffs h"
        "  where h.conversation_id = c.conversation_id),"
        " coalesce((select k.status = 'closed' from app.cases k"
        "  where k.conversation_id = c.conversation_id order by k.case_id desc limit 1), false)"
        " from app.conversations c where c.channel = 'whatsapp' and c.person_id = %s",
        (person,),
    ).fetchone()
    return Outcome(script, route, escalated, closed)


def confusion(outcomes: list[Outcome]) -> Counter[tuple[str, str]]:
    """(expected route, actual route) → conversations."""
    return Counter((o.script.route, o.route) for o in outcomes)
