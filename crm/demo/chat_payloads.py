"""Minimal Meta deliveries for the conversation engine's tests and benchmark: a WhatsApp
text message, a WhatsApp status, a Messenger text, an Instagram and a Page comment, shaped
as Meta's webhook reference shows them (the demo's full traffic generator is `meta_payloads`)."""

from __future__ import annotations

import time

PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "1234567890"


def whatsapp_text(
    wamid: str, wa_id: str, text: str, at: float | None = None, name: str = "Cliente"
) -> dict:
    """One customer text on WhatsApp, from a profile called `name`."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": wamid,
                                    "timestamp": str(int(at or time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def whatsapp_status(wamid: str, wa_id: str, status: str, at: float | None = None) -> dict:
    """A sent / delivered / read / failed status of a message we sent."""
    item = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(at or time.time())),
        "recipient_id": wa_id,
    }
    if status == "failed":
        item["errors"] = [{"code": 131047, "title": "Re-engagement message"}]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "statuses": [item],
    }
    change = {"field": "messages", "value": value}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [change]}],
    }


def messenger_text(mid: str, psid: str, text: str, at: float | None = None) -> dict:
    """One customer text on Messenger."""
    millis = int((at or time.time()) * 1000)
    return {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": millis,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": millis,
                        "message": {"mid": mid, "text": text},
                    }
                ],
            }
        ],
    }


IG_ACCOUNT_ID = "17841405822304914"


def instagram_comment(
    comment_id: str, author_id: str, text: str, at: float | None = None, media_id: str = "1788"
) -> dict:
    """A comment on the business's Instagram media (`comments` field; no timestamp in the
    value: the entry's time is when it happened)."""
    value = {
        "from": {"id": author_id, "username": f"user{author_id[-4:]}"},
        "media": {"id": media_id, "media_product_type": "FEED"},
        "id": comment_id,
        "text": text,
    }
    change = {"field": "comments", "value": value}
    entry = {"id": IG_ACCOUNT_ID, "time": int(at or time.time()), "changes": [change]}
    return {"object": "instagram", "entry": [entry]}


def page_comment(comment_id: str, author_id: str, text: str, at: float | None = None) -> dict:
    """A new comment on one of the Page's posts (`feed` field, item `comment`)."""
    created, post_id = int(at or time.time()), f"{PAGE_ID}_122101234567890"
    value = {
        "from": {"id": author_id, "name": "Laura Gómez"},
        "post_id": post_id,
        "comment_id": comment_id,
        "created_time": created,
        "item": "comment",
        "parent_id": post_id,
        "verb": "add",
        "message": text,
    }
    change = {"field": "feed", "value": value}
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": created, "changes": [change]}]}
