"""Reading a webhook body safely: the size and content-type checks every webhook shares.

Refusing early (413 on the declared length, 415 on the media type, 413 again while
streaming, for chunked bodies that declare nothing) keeps oversized or non-JSON requests
from being buffered or parsed, and gives Meta and commerce webhooks the same rules.
"""

from __future__ import annotations

from fastapi import Request

from api.errors import ApiError


async def read_json_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing (413) more than `limit` bytes and (415) non-JSON content."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(
            413, "payload_too_large", f"the body exceeds {limit} bytes", "Content-Length"
        )
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(
            415, "unsupported_media_type", "Content-Type must be application/json", "Content-Type"
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"the body exceeds {limit} bytes", "body")
        chunks.append(chunk)
    return b"".join(chunks)
