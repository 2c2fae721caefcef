"""Status webhooks move the outbound message they refer to forward, in any order."""

from __future__ import annotations

import itertools
import time

import pytest

from crm.demo.chat_payloads import PAGE_ID, messenger_text, whatsapp_status, whatsapp_text

ORDERS = list(itertools.permutations(["sent", "delivered", "read"]))


def _sent_reply(conn, deliver, process, provider_id: str) -> None:
    deliver(whatsapp_text("wamid.in", "50760000001", "Hola"))
    process()
    conn.execute(
        "update app.outbox set status = 'sent', sent_at = now(), provider_message_id = %s",
        (provider_id,),
    )


@pytest.mark.parametrize("order", ORDERS, ids="-".join)
def test_the_best_status_wins_whatever_the_arrival_order(knowledge, deliver, process, order):
    _sent_reply(knowledge, deliver, process, "wamid.out")
    for status in order:
        deliver(whatsapp_status("wamid.out", "50760000001", status))
        process()
    assert knowledge.execute("select status from app.outbox").fetchone()[0] == "read"


def test_a_failure_is_never_hidden_by_a_late_status(knowledge, deliver, process):
    _sent_reply(knowledge, deliver, process, "wamid.out")
    deliver(whatsapp_status("wamid.out", "50760000001", "failed"))
    deliver(whatsapp_status("wamid.out", "50760000001", "delivered"))
    process()
    status, error = knowledge.execute("select status, last_error from app.outbox").fetchone()
    assert (status, error) == ("failed", "Re-engagement message")


def test_a_status_that_overtakes_the_send_answer_is_applied_when_the_send_is_recorded(
    knowledge, deliver, process
):
    from crm.conversation.outbox import apply_statuses

    deliver(whatsapp_text("wamid.in", "50760000001", "Hola"))
    process()
    deliver(whatsapp_status("wamid.early", "50760000001", "delivered"))
    process()  # nothing to update yet: the send has not been recorded
    knowledge.execute("update app.outbox set status = 'sent', provider_message_id = 'wamid.early'")
    apply_statuses(knowledge, ["wamid.early"])
    assert knowledge.execute("select status from app.outbox").fetchone()[0] == "delivered"


def _receipt(kind: str, body: dict) -> dict:
    """A Messenger delivery or read receipt from psid-1 to the demo Page."""
    at = int(time.time() * 1000)
    item = {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE_ID}, "timestamp": at}
    item[kind] = {**body, "watermark": at}
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": at, "messaging": [item]}]}


def test_messenger_receipts_move_our_message_to_delivered_then_read(knowledge, deliver, process):
    deliver(messenger_text("mid.in", "psid-1", "Hi"))
    process()
    knowledge.execute(
        "update app.outbox set status = 'sent', provider_message_id = 'm_OUT1',"
        " sent_at = now() - interval '1 minute'"
    )
    deliver(_receipt("delivery", {"mids": ["m_OUT1"]}))
    process()
    delivered = knowledge.execute("select status from app.outbox").fetchone()[0]
    deliver(_receipt("read", {}))
    process()
    assert delivered == "delivered"
    assert knowledge.execute("select status from app.outbox").fetchone()[0] == "read"
