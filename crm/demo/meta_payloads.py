"""Builders of Meta webhook bodies shaped exactly as the public docs show them.

WhatsApp Cloud API (`whatsapp_business_account`: entry[].changes[].value with metadata,
contacts incl. the 2026 business-scoped `user_id`, messages, statuses), Instagram
(`instagram`: entry[].messaging[] and comment changes) and Messenger (`page`: messaging
events and feed comment changes). Pure functions of a person and a message, no I/O.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from crm.demo.people import Person
from crm.demo.world import Message

WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_PHONE = "50760001234"
IG_ACCOUNT_ID = "17841400008460056"
PAGE_ID = "109876543210987"
APP_ID = "1517776481860111"
PLACES = {"PA": (8.9824, -79.5199, "Calle 50, Panamá"), "MX": (19.4326, -99.1332, "CDMX")}
REACTIONS = {"👍": "like", "❤": "love", "😂": "haha", "🙏": "other"}
REENGAGEMENT_ERROR = {
    "code": 131047,
    "title": "Re-engagement message",
    "message": "Re-engagement message",
    "error_data": {
        "details": "Message failed to send because more than 24 hours have passed "
        "since the customer last replied to this number."
    },
    "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
}


def seconds(at: datetime) -> int:
    return int(at.timestamp())


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _media_id(seed: str) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest()[:15], 16))


# --- WhatsApp ------------------------------------------------------------------------------


def whatsapp_delivery(values: list[dict]) -> dict:
    """One delivery; each value in its own entry, as Meta batches across changes."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": v, "field": "messages"}]} for v in values],
    }


def wa_contact(person: Person) -> dict:
    """contacts[]: profile name, wa_id (absent for username adopters) and the BSUID."""
    profile = {"name": person.full_name}
    if person.wa_has_username:
        return {"profile": profile | {"username": person.ig_username}, "user_id": person.wa_user_id}
    return {"profile": profile, "wa_id": person.phone.wa_id, "user_id": person.wa_user_id}


def _wa_value(**parts: object) -> dict:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_PHONE, "phone_number_id": PHONE_NUMBER_ID},
        **parts,
    }


def wa_message_value(person: Person, msg: Message) -> dict:
    """A `messages` change value for one inbound message of any kind the world has."""
    return _wa_value(contacts=[wa_contact(person)], messages=[wa_message(person, msg)])


def wa_message(person: Person, msg: Message) -> dict:
    """messages[]: from / from_user_id, wamid id, unix-seconds string, type and its object."""
    base: dict = {"id": msg.id, "timestamp": str(seconds(msg.at))}
    if not person.wa_has_username:
        base = {"from": person.phone.wa_id, **base}
    base["from_user_id"] = person.wa_user_id
    media = {"id": _media_id(msg.id), "sha256": hashlib.sha256(msg.id.encode()).hexdigest()}
    if msg.kind == "image":
        return base | {
            "type": "image",
            "image": media | {"mime_type": "image/jpeg", "caption": msg.text},
        }
    if msg.kind == "audio":
        return base | {
            "type": "audio",
            "audio": media | {"mime_type": "audio/ogg; codecs=opus", "voice": True},
        }
    if msg.kind == "location":
        lat, lon, address = PLACES.get(person.country.code, PLACES["PA"])
        return base | {
            "type": "location",
            "location": {"latitude": lat, "longitude": lon, "name": "Mi casa", "address": address},
        }
    if msg.kind == "button_reply":
        return base | {
            "type": "interactive",
            "context": {"from": DISPLAY_PHONE, "id": msg.ref},
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "btn_yes", "title": msg.text},
            },
        }
    if msg.kind == "reaction":
        return base | {"type": "reaction", "reaction": {"message_id": msg.ref, "emoji": msg.text}}
    return base | {"type": "text", "text": {"body": msg.text}}


def wa_status_value(
    person: Person, wamid: str, status: str, at: datetime, conversation: str
) -> dict:
    """A `statuses` change value: sent / delivered / read with pricing, failed with errors."""
    item: dict = {
        "id": wamid,
        "status": status,
        "timestamp": str(seconds(at)),
        "recipient_id": person.phone.wa_id,
        "recipient_user_id": person.wa_user_id,
    }
    if status == "failed":  # failed statuses carry errors and no contacts array
        return _wa_value(statuses=[item | {"errors": [REENGAGEMENT_ERROR]}])
    origin: dict = {"id": conversation, "origin": {"type": "service"}}
    if status == "sent":
        origin["expiration_timestamp"] = str(seconds(at) + 86400)
    item |= {
        "conversation": origin,
        "pricing": {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        },
    }
    return _wa_value(contacts=[wa_contact(person)], statuses=[item])


# --- Instagram and Messenger -------------------------------------------------------------


def instagram_delivery(entries: list[dict]) -> dict:
    return {"object": "instagram", "entry": entries}


def page_delivery(entries: list[dict]) -> dict:
    return {"object": "page", "entry": entries}


def messaging_entry(channel: str, events: list[dict]) -> dict:
    """entry[] with messaging[] events; `time` is the newest event's, in milliseconds."""
    owner = IG_ACCOUNT_ID if channel == "instagram" else PAGE_ID
    return {"id": owner, "time": max(e["timestamp"] for e in events), "messaging": events}


def _ids(person: Person, channel: str) -> tuple[str, str]:
    user = person.igsid if channel == "instagram" else person.psid
    return user, IG_ACCOUNT_ID if channel == "instagram" else PAGE_ID


def messaging_event(person: Person, msg: Message) -> dict:
    """One messaging[] item: message, attachment, reaction, postback or the business's echo."""
    user, owner = _ids(person, msg.channel)
    inbound = msg.direction == "inbound"
    event: dict = {
        "sender": {"id": user if inbound else owner},
        "recipient": {"id": owner if inbound else user},
        "timestamp": millis(msg.at),
    }
    if msg.kind == "reaction":
        return event | {
            "reaction": {
                "mid": msg.ref,
                "action": "react",
                "reaction": REACTIONS.get(msg.text or "", "other"),
                "emoji": msg.text,
            }
        }
    if msg.kind == "postback":
        return event | {"postback": {"mid": msg.id, "title": msg.text, "payload": "GET_STARTED"}}
    if msg.kind == "image":
        url = f"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={_media_id(msg.id)}"
        return event | {
            "message": {"mid": msg.id, "attachments": [{"type": "image", "payload": {"url": url}}]}
        }
    message: dict = {"mid": msg.id, "text": msg.text}
    if not inbound:
        message = {"mid": msg.id, "is_echo": True, "text": msg.text}
        if msg.channel == "messenger":
            message["app_id"] = int(APP_ID)
    return event | {"message": message}


def receipt_event(person: Person, channel: str, at: datetime, kind: str, mids: list[str]) -> dict:
    """The person's read / delivery receipt of the business's messages."""
    user, owner = _ids(person, channel)
    event = {"sender": {"id": user}, "recipient": {"id": owner}, "timestamp": millis(at)}
    if channel == "instagram":
        return event | {"read": {"mid": mids[-1]}}
    if kind == "delivery":
        return event | {"delivery": {"mids": mids, "watermark": millis(at)}}
    return event | {"read": {"watermark": millis(at)}}


def comment_entry(person: Person, msg: Message) -> dict:
    """entry[] with a `comments` (Instagram) or `feed` (Page) change for a public comment."""
    if msg.channel == "instagram":
        value = {
            "from": {"id": person.igsid, "username": person.ig_username},
            "media": {"id": msg.ref, "media_product_type": "FEED"},
            "id": msg.id,
            "text": msg.text,
        }
        return {
            "id": IG_ACCOUNT_ID,
            "time": seconds(msg.at),
            "changes": [{"field": "comments", "value": value}],
        }
    post_id = msg.ref or ""
    value = {
        "from": {"id": person.psid, "name": person.full_name},
        "post": {"id": post_id, "status_type": "added_photos", "is_published": True},
        "post_id": post_id,
        "comment_id": f"{post_id.split('_')[-1]}_{msg.id}",
        "parent_id": post_id,
        "created_time": seconds(msg.at),
        "item": "comment",
        "message": msg.text,
        "verb": "add",
    }
    return {"id": PAGE_ID, "time": seconds(msg.at), "changes": [{"field": "feed", "value": value}]}
