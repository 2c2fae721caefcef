"""Publishing through the Graph API content-publishing flow, faked at the HTTP boundary
(respx) with the request and answer shapes of Meta's documentation: Instagram's two steps
(`/{ig-user-id}/media` then `/{ig-user-id}/media_publish`), a Page's `/{page-id}/feed`,
retries on 5xx, a dry run without a token, and the schedule's job publishing once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import httpx
import psycopg
import pytest
import respx

from crm.content.captions import Campaign
from crm.content.graph import ContentPublisher
from crm.content.posts import generate_posts, schedule_post
from crm.content.publishing import publish_post
from crm.settings import Settings, get_settings
from orchestration.defs.content import content_publishing
from orchestration.defs.resources import CrmDatabase

GRAPH = "https://graph.facebook.com/v21.0"
IG_USER, PAGE = "17841400000000001", "102938475610293"
IMAGE = "https://cdn.example.com/nova14.jpg"
LINK = "https://shop.example.com/nova-14"
LIVE = {
    "instagram_access_token": "IG-TOKEN",
    "instagram_account_id": IG_USER,
    "messenger_access_token": "PAGE-TOKEN",
    "facebook_page_id": PAGE,
}


def new_post(conn: psycopg.Connection, channel: str, image_url: str | None = IMAGE) -> dict:
    campaign = Campaign("Black Friday", "promotion", "es", "friendly", "Nova 14")
    ((post, created),) = generate_posts(conn, campaign, [channel], image_url, LINK)
    assert created
    return post


@pytest.fixture
def conn(knowledge: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(knowledge, autocommit=True) as connection:
        yield connection


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def body(call: respx.models.Call) -> dict:
    return json.loads(call.request.content)


@respx.mock
def test_instagram_publishes_in_two_documented_steps(conn, http) -> None:
    media = respx.post(f"{GRAPH}/{IG_USER}/media").respond(200, json={"id": "17889455560051444"})
    publish = respx.post(f"{GRAPH}/{IG_USER}/media_publish").respond(
        200, json={"id": "17920238422030506"}
    )
    post = new_post(conn, "instagram")
    done = publish_post(conn, ContentPublisher(Settings(**LIVE), http), post["post_id"])
    assert body(media.calls.last) == {"image_url": IMAGE, "caption": post["caption"]}
    assert media.calls.last.request.headers["Authorization"] == "Bearer IG-TOKEN"
    assert body(publish.calls.last) == {"creation_id": "17889455560051444"}
    assert done["status"] == "published" and done["dry_run"] is False
    assert done["provider_post_id"] == "17920238422030506"
    assert done["creation_id"] == "17889455560051444"
    assert [c["edge"] for c in done["request"]] == [f"{IG_USER}/media", f"{IG_USER}/media_publish"]


@respx.mock
def test_facebook_page_post_goes_to_the_feed_with_message_and_link(conn, http) -> None:
    feed = respx.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": f"{PAGE}_5550001"})
    post = new_post(conn, "facebook", image_url=None)
    done = publish_post(conn, ContentPublisher(Settings(**LIVE), http), post["post_id"])
    assert body(feed.calls.last) == {"message": post["caption"], "link": LINK}
    assert feed.calls.last.request.headers["Authorization"] == "Bearer PAGE-TOKEN"
    assert done["status"] == "published" and done["provider_post_id"] == f"{PAGE}_5550001"


@respx.mock
def test_a_500_is_retried_with_backoff_then_succeeds(conn, http) -> None:
    media = respx.post(f"{GRAPH}/{IG_USER}/media")
    media.side_effect = [
        httpx.Response(500, json={"error": {"message": "An unexpected error has occurred."}}),
        httpx.Response(200, json={"id": "C-2"}),
    ]
    respx.post(f"{GRAPH}/{IG_USER}/media_publish").respond(200, json={"id": "M-2"})
    slept: list[float] = []
    publisher = ContentPublisher(Settings(**LIVE), http, sleep=slept.append)
    done = publish_post(conn, publisher, new_post(conn, "instagram")["post_id"])
    assert media.call_count == 2 and slept == [0.5]
    assert done["status"] == "published" and done["provider_post_id"] == "M-2"


@respx.mock
def test_a_rejected_publish_fails_and_a_retry_reuses_the_container(conn, http) -> None:
    media = respx.post(f"{GRAPH}/{IG_USER}/media").respond(200, json={"id": "C-3"})
    publish = respx.post(f"{GRAPH}/{IG_USER}/media_publish")
    publish.side_effect = [
        httpx.Response(400, json={"error": {"message": "Media ID is not available"}}),
        httpx.Response(200, json={"id": "M-3"}),
    ]
    publisher = ContentPublisher(Settings(**LIVE), http, sleep=lambda _: None)
    post_id = new_post(conn, "instagram")["post_id"]
    failed = publish_post(conn, publisher, post_id)
    assert failed["status"] == "failed" and "Media ID is not available" in failed["last_error"]
    assert failed["creation_id"] == "C-3"
    done = publish_post(conn, publisher, post_id)
    assert done["status"] == "published" and media.call_count == 1


@respx.mock
def test_without_a_token_nothing_is_sent_and_the_plan_is_recorded(conn, http) -> None:
    graph = respx.route(host="graph.facebook.com")
    post = new_post(conn, "instagram")
    done = publish_post(conn, ContentPublisher(Settings(), http), post["post_id"])
    assert graph.call_count == 0
    assert done["status"] == "published" and done["dry_run"] is True
    assert done["request"][0] == {
        "edge": "me/media",
        "payload": {"image_url": IMAGE, "caption": post["caption"]},
    }
    assert done["request"][1]["edge"] == "me/media_publish"


@respx.mock
def test_the_schedule_job_publishes_a_due_post_once(conn, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in LIVE.items():
        monkeypatch.setenv(key.upper(), value)
    get_settings.cache_clear()
    media = respx.post(f"{GRAPH}/{IG_USER}/media").respond(200, json={"id": "C-4"})
    publish = respx.post(f"{GRAPH}/{IG_USER}/media_publish").respond(200, json={"id": "M-4"})
    due = new_post(conn, "instagram")
    schedule_post(
        conn, due["post_id"], datetime.now(UTC) - timedelta(minutes=1), "UTC", datetime.now(UTC)
    )
    later = new_post(conn, "facebook")
    schedule_post(
        conn, later["post_id"], datetime.now(UTC) + timedelta(days=1), "UTC", datetime.now(UTC)
    )
    try:
        with dg.DagsterInstance.ephemeral() as instance:
            for _ in range(2):
                result = content_publishing.execute_in_process(
                    resources={"database": CrmDatabase()}, instance=instance
                )
                assert result.success
    finally:
        get_settings.cache_clear()
    assert media.call_count == 1 and publish.call_count == 1
    status = dict(conn.execute("select post_id, status from app.content_posts").fetchall())
    assert status == {due["post_id"]: "published", later["post_id"]: "scheduled"}
    assert result.output_for_node("publish_due_posts") == 0  # the second run found nothing due
