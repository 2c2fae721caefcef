"""One settings object for every package, read from the environment (and `.env`).

Built on demand by `get_settings()`, never at import time, so tests and commands can
point it elsewhere by changing the environment and calling `get_settings.cache_clear()`.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable; names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None, description="PostgreSQL URL; unset means the embedded server under .crm/"
    )
    crm_home: Path = Field(default=PROJECT_ROOT / ".crm", description="local state folder")
    crm_api_port: int = 8000
    crm_api_host: str = "127.0.0.1"
    meta_app_secret: str | None = Field(
        default=None, description="Meta app secret for X-Hub-Signature-256; generated if unset"
    )
    meta_verify_token: str | None = Field(
        default=None, description="token for the webhook handshake; generated if unset"
    )
    commerce_webhook_secret: str | None = Field(
        default=None, description="shop secret for X-Shopify-Hmac-Sha256; generated if unset"
    )
    webhook_max_bytes: int = 1_048_576
    crm_bench_endpoint: bool = Field(
        default=False, description="mount the benchmark's do-nothing baseline endpoint"
    )
    default_region: str = "PA"
    crm_api_keys: str | None = Field(
        default=None,
        description="comma-separated keys for the internal endpoints; one is generated if unset",
    )

    def app_secret(self) -> str:
        """The Meta app secret, or a per-install one kept in `.crm/` so the demo can sign."""
        return self.meta_app_secret or _local_secret(self.crm_home, "meta_app_secret")

    def commerce_secret(self) -> str:
        """The commerce webhook secret, or a per-install one in `.crm/` so the demo can sign."""
        return self.commerce_webhook_secret or _local_secret(
            self.crm_home, "commerce_webhook_secret"
        )

    def api_keys(self) -> frozenset[str]:
        """Keys accepted in `X-API-Key` (or `Authorization: Bearer`) by internal endpoints."""
        if self.crm_api_keys:
            return frozenset(k.strip() for k in self.crm_api_keys.split(",") if k.strip())
        return frozenset({_local_secret(self.crm_home, "crm_api_key")})

    def verify_token(self) -> str:
        """The webhook verify token, or a per-install one kept in `.crm/`."""
        return self.meta_verify_token or _local_secret(self.crm_home, "meta_verify_token")


def _local_secret(home: Path, name: str) -> str:
    """Read (or create once, mode 0600) a random secret file under the state folder.

    Created under a temporary name and linked into place, so concurrent first starts
    (several API workers) agree on one secret and never read a half-written file.
    """
    path = home / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
        try:
            os.link(tmp, path)  # fails if another process won the race: keep theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """The process's settings; cached, cleared by tests that change the environment."""
    return Settings()
