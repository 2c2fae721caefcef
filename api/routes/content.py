"""`POST /content/generate|publish|schedule`: social posts from products and campaigns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request

from api.conversation_deps import ConnDep
from api.errors import ApiError
from api.schemas_content import (
    GeneratedPost,
    GenerateRequest,
    GenerateResponse,
    PostOut,
    PublishRequest,
    ScheduleRequest,
)
from crm.content.captions import Campaign
from crm.content.graph import ContentPublisher
from crm.content.posts import ProductNotFound, generate_posts, schedule_post
from crm.content.publishing import publish_post
from crm.conversation.llm import LLMChain, build_chain
from crm.settings import get_settings

router = APIRouter(prefix="/content", tags=["content"])
GRAPH_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


def get_llm(request: Request) -> LLMChain | None:
    """The LLM chain, built once per app; None without a key."""
    if not hasattr(request.app.state, "content_llm"):
        request.app.state.content_llm = build_chain(get_settings())
    return request.app.state.content_llm


LLMDep = Annotated[LLMChain | None, Depends(get_llm)]


@router.post("/generate", response_model=GenerateResponse)
def generate(body: GenerateRequest, conn: ConnDep, llm: LLMDep) -> GenerateResponse:
    """Draft one post per channel from the campaign and a product of the knowledge base
    (templates without an LLM key); the same request twice returns the same drafts."""
    if "instagram" in body.channels and body.image_url is None:
        raise ApiError(422, "invalid_request", "Instagram posts need an image_url", "image_url")
    campaign = Campaign(**body.campaign.model_dump())
    try:
        posts = generate_posts(
            conn,
            campaign,
            body.channels,
            str(body.image_url) if body.image_url else None,
            str(body.link) if body.link else None,
            body.idempotency_key,
            llm,
        )
    except ProductNotFound as exc:
        raise ApiError(
            422,
            "unknown_product",
            f"no such product in the knowledge base: {exc}",
            "campaign.product",
        ) from exc
    return GenerateResponse(
        posts=[
            GeneratedPost(**PostOut.from_row(row).model_dump(), created=new) for row, new in posts
        ]
    )


@router.post("/publish", response_model=PostOut)
def publish(body: PublishRequest, conn: ConnDep) -> PostOut:
    """Publish a post now through the Graph API (a dry run without the channel's token);
    a published post is never posted twice."""
    with httpx.Client(timeout=GRAPH_TIMEOUT) as http:
        row = publish_post(conn, ContentPublisher(get_settings(), http), body.post_id)
    if row is None:
        raise ApiError(404, "not_found", "no such post", "post_id")
    return PostOut.from_row(row)


@router.post("/schedule", response_model=PostOut)
def schedule(body: ScheduleRequest, conn: ConnDep) -> PostOut:
    """Schedule a post at the given time, or at the best hour from the channel's inbound
    history (Tue-Thu 11:00 local without enough of it); the publishing schedule posts it."""
    if body.at is not None and body.at.tzinfo is None:
        raise ApiError(422, "invalid_request", "give `at` with a UTC offset", "at")
    settings = get_settings()
    row = schedule_post(conn, body.post_id, body.at, settings.business_timezone, datetime.now(UTC))
    if row is None:
        raise ApiError(404, "not_found", "no such post", "post_id")
    if row["status"] == "published":
        raise ApiError(409, "already_published", "the post is already published", "post_id")
    return PostOut.from_row(row)
