"""The Graph API's content-publishing calls, with the outbox senders' retry and error rules.

Instagram publishes in two steps: `POST /{ig-user-id}/media` (image_url, caption) creates
a container and answers its id, then `POST /{ig-user-id}/media_publish` (creation_id)
publishes it. A Page publishes in one: `POST /{page-id}/photos` (url, message) with an
image, else `POST /{page-id}/feed` (message, link). Each call goes through
`senders.graph_post` and `senders.with_retries`: 429 / 5xx / not connected are retried
with exponential backoff, a 4xx is final, a call with no answer is never repeated.
Without the channel's token nothing is sent: `plan` says what would have been.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from crm.conversation.senders import graph_post, with_retries
from crm.settings import Settings

PENDING_CONTAINER = "<id from step 1>"


class ContentPublisher:
    """Publishes one stored post (a row of `app.content_posts`) to its channel."""

    def __init__(
        self, settings: Settings, http: httpx.Client, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.base = settings.graph_api_base.rstrip("/")
        self.tokens = {
            "instagram": settings.instagram_access_token,
            "facebook": settings.messenger_access_token,  # the Page access token
        }
        self.accounts = {
            "instagram": settings.instagram_account_id,
            "facebook": settings.facebook_page_id,
        }
        self.http, self.sleep = http, sleep

    def can_publish(self, channel: str) -> bool:
        return bool(self.tokens.get(channel))

    def plan(self, post: dict) -> list[dict]:
        """The calls publishing `post` takes: edge and payload of each, in order."""
        account = self.accounts[post["channel"]]
        if post["channel"] == "instagram":
            return [
                {
                    "edge": f"{account}/media",
                    "payload": {"image_url": post["image_url"], "caption": post["caption"]},
                },
                {
                    "edge": f"{account}/media_publish",
                    "payload": {"creation_id": post["creation_id"] or PENDING_CONTAINER},
                },
            ]
        if post["image_url"]:
            payload = {"url": post["image_url"], "message": post["caption"]}
            return [{"edge": f"{account}/photos", "payload": payload}]
        payload = {"message": post["caption"]} | ({"link": post["link"]} if post["link"] else {})
        return [{"edge": f"{account}/feed", "payload": payload}]

    def publish(self, post: dict, on_container: Callable[[str], None]) -> str:
        """The published post's id. An Instagram container made earlier (`creation_id`)
        is reused; a new one is handed to `on_container` before step 2, to be kept."""
        calls = self.plan(post)
        if post["channel"] == "instagram":
            if not post["creation_id"]:
                post = post | {"creation_id": self._call(post, calls[0])["id"]}
                on_container(post["creation_id"])
            return self._call(post, self.plan(post)[1])["id"]
        answer = self._call(post, calls[0])
        return answer.get("post_id") or answer["id"]

    def _call(self, post: dict, call: dict) -> dict:
        url = f"{self.base}/{call['edge']}"
        token = self.tokens[post["channel"]]
        label = f"content post {post['post_id']} {call['edge']}"
        return with_retries(
            lambda: graph_post(self.http, url, token, call["payload"]), label, self.sleep
        )
