"""The dispatcher, timestamps and the signature check shared by every channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingestion.meta import MetaPayloadError, parse_delivery, sign, verify_signature
from ingestion.meta.events import to_utc


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], None),
        ({"entry": []}, "object"),
        ({"object": "telegram", "entry": []}, "object"),
        ({"object": "page"}, "entry"),
        ({"object": "page", "entry": {}}, "entry"),
        ({"object": "instagram", "entry": ["x"]}, "body.entry"),
        ({"object": "page", "entry": [{"messaging": "x"}]}, "entry[0].messaging"),
    ],
)
def test_bodies_meta_would_not_send_are_rejected_naming_the_field(body, field) -> None:
    with pytest.raises(MetaPayloadError) as caught:
        parse_delivery(body)
    assert caught.value.field == field


def test_an_empty_entry_list_is_a_valid_delivery_without_events() -> None:
    assert parse_delivery({"object": "page", "entry": []}) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1767261600", datetime(2026, 1, 1, 10, 0, tzinfo=UTC)),
        (1767261600000, datetime(2026, 1, 1, 10, 0, tzinfo=UTC)),
        ("2026-01-01T10:00:00+0000", datetime(2026, 1, 1, 10, 0, tzinfo=UTC)),
        ("2026-01-01T05:00:00-05:00", datetime(2026, 1, 1, 10, 0, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_timestamps_become_aware_utc(value, expected) -> None:
    assert to_utc(value) == expected


def test_signature_matches_only_the_same_body_and_secret() -> None:
    body = b'{"object":"page","entry":[]}'
    header = sign(body, "s3cret")
    assert header.startswith("sha256=") and len(header) == 71
    assert verify_signature(body, header, "s3cret")
    assert verify_signature(body, header.upper().replace("SHA256=", "sha256="), "s3cret")
    assert not verify_signature(body + b" ", header, "s3cret")
    assert not verify_signature(body, header, "other")
    assert not verify_signature(body, None, "s3cret")
    assert not verify_signature(body, header.removeprefix("sha256="), "s3cret")
