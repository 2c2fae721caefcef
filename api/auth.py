"""API keys for the internal endpoints (everything but webhooks, `/`, `/health`, `/docs`).

Webhooks authenticate by their own signatures; the rest of the API acts on customer data
and sends messages, so it takes a key from `CRM_API_KEYS` (or the per-install one under
`.crm/secrets/crm_api_key`) in `X-API-Key` or `Authorization: Bearer`.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an internal API key")
_bearer = HTTPBearer(auto_error=False, description="an internal API key as a bearer token")


async def require_api_key(
    request: Request,
    key: Annotated[str | None, Depends(_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """401 unless the request carries one of the configured keys (compared in constant time)."""
    given = key or (bearer.credentials if bearer else None)
    if not given:
        raise ApiError(401, "missing_api_key", "send an API key in X-API-Key", "X-API-Key")
    keys: frozenset[str] = request.app.state.api_keys
    if not any(hmac.compare_digest(given.encode(), k.encode()) for k in keys):
        raise ApiError(401, "invalid_api_key", "the API key is not valid", "X-API-Key")


internal = [Depends(require_api_key)]
