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

    # --- conversation engine (issue 5; crm/conversation/) -----------------------------
    business_hours: str = Field(
        default="mon-fri 09:00-18:00", description="when agents answer: days and hours"
    )
    business_timezone: str = "America/Panama"
    reply_max_age_s: int = Field(
        default=3600, description="older inbound messages are understood but not answered"
    )
    conversation_text_models: str = Field(
        default="auto",
        description="auto (ml.serving when installed), keywords, or llm: one LLM call per "
        "message (structured output) with ml.serving as fallback; llm without an LLM key "
        "behaves as auto (one warning)",
    )
    low_confidence: float = Field(default=0.45, description="intent confidence counted as low")
    escalation_sentiment: float = Field(default=-0.6, description="at or below: escalate")
    escalation_lead_tiers: str = Field(
        default="hot", description="lead tiers escalated to a human on a purchase intent"
    )
    escalation_webhook_url: str | None = Field(
        default=None, description="agents are notified of handoffs here (signed POST)"
    )
    escalation_webhook_secret: str | None = Field(
        default=None, description="signs the handoff webhook; generated if unset"
    )
    followup_delays_hours: str = Field(
        default="4,24", description="silence after our last message before each follow-up"
    )
    followup_template: str = Field(
        default="reengagement", description="approved WhatsApp template outside the 24 h window"
    )
    case_inactivity_hours: float = 48.0
    graph_api_base: str = "https://graph.facebook.com/v21.0"
    whatsapp_access_token: str | None = None
    whatsapp_phone_number_id: str | None = Field(
        default=None,
        description="business number that writes first (campaigns); default: the latest one hit",
    )
    messenger_access_token: str | None = Field(default=None, description="Page access token")
    instagram_access_token: str | None = None
    send_rate_per_second: float = Field(default=20.0, description="per sender account")
    llm_provider: str | None = Field(
        default=None, description="openai or anthropic first; default: whichever key is set"
    )
    openai_api_key: str | None = None
    anthropic_api_key: str | None = None
    openai_base_url: str | None = Field(default=None, description="an OpenAI-compatible gateway")
    anthropic_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    anthropic_model: str = "claude-3-5-haiku-latest"
    llm_timeout_s: float = 15.0
    llm_max_retries: int = 2
    embedding_model: str | None = Field(
        default=None,
        description="provider:model for semantic retrieval (openai:text-embedding-3-small);"
        " unset: full-text search only",
    )
    embedding_min_similarity: float = Field(
        default=0.3, description="cosine similarity below which a passage is not relevant"
    )
    # --- end of the conversation engine's settings ----------------------------------

    # --- AI closer (issue 6, flow 11; crm/sales/) ---
    checkout_url_template: str = Field(
        default="https://shop.example.com/checkout?lead={lead_id}&product={product}",
        description="checkout / payment link the closer sends; {lead_id} and {product}",
    )
    sales_offers_path: Path | None = Field(
        default=None, description="discount limits and handoff rules; default crm/sales/offers.yaml"
    )
    # --- end AI closer ---

    # --- content and alerts (issue 6, flows 14-16 and 22; crm/content/, crm/alerts/) ---
    instagram_account_id: str = Field(
        default="me", description="IG user id that publishes posts ('me': the token's own)"
    )
    facebook_page_id: str = Field(
        default="me", description="Page that publishes posts ('me': the Page token's own)"
    )
    alert_webhook_url: str | None = Field(
        default=None, description="metric alerts are POSTed here (signed); unset: stored only"
    )
    alert_webhook_secret: str | None = Field(
        default=None, description="signs the alert webhook; generated if unset"
    )
    # --- end of content and alerts ---

    # --- ML: the MLflow store, promotion, the intent and sentiment models (issue 4) ---
    mlflow_tracking_uri: str | None = Field(
        default=None, description="MLflow tracking server or store; unset means .crm/mlflow"
    )
    ml_promotion_margin: float = Field(
        default=0.005, description="how much a challenger must beat the champion by"
    )
    intent_min_macro_f1: float = Field(default=0.80, description="intent model quality floor")
    sentiment_min_accuracy: float = Field(default=0.80, description="sentiment model quality floor")
    ml_reload_seconds: float = Field(
        default=30.0, description="how often the API checks whether a champion alias moved"
    )

    # --- ML: lead score and close probability (issue 4) ---
    lead_score_min_positives: int = Field(
        default=20, description="converted training rows before the model replaces the prior"
    )
    lead_score_min_auc: float = Field(
        default=0.60, description="lead score floor (the prior's holdout AUC raises it)"
    )
    lead_score_max_brier: float = Field(default=0.20, description="lead score quality floor")
    close_probability_min_positives: int = Field(
        default=10, description="closed training rows before close probability trains"
    )
    close_probability_min_auc: float = Field(default=0.60, description="close model floor")
    # a score is P(order within ml_horizon_days) x 100: 20 is ~10x a chat shop's base rate
    lead_tier_hot_score: int = Field(default=20, description="score at or above: hot")
    lead_tier_warm_score: int = Field(default=5, description="score at or above: warm")
    ml_score_history_days: int = Field(
        default=90, description="days of daily score snapshots kept in ml.lead_scores"
    )
    ml_score_max_drift: float = Field(
        default=15.0, description="largest mean-score move between runs before the check warns"
    )
    ml_min_scored_share: float = Field(
        default=0.99, description="share of dim_leads that must carry a score"
    )
    # --- end ML: lead score and close probability ---

    # --- campaigns: nurturing and cart recovery (issue 6; crm/campaigns/) ---
    campaign_sequences_dir: Path = Field(
        default=PROJECT_ROOT / "crm" / "campaigns" / "sequences",
        description="folder of the nurturing and cart-recovery sequence YAML files",
    )
    # --- end campaigns: nurturing and cart recovery ---

    # --- payment reminders (issue 6, flow 13; crm/campaigns/reminders.py) ---
    payment_reminder_steps: str = Field(
        default="-3:payment_reminder_upcoming,0:payment_reminder_due,"
        "3:payment_reminder_overdue,7:payment_reminder_overdue,14:payment_reminder_final",
        description="days from the due date : approved WhatsApp template, one per step",
    )
    # --- end payment reminders ---

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

    def escalation_secret(self) -> str:
        """Secret signing the handoff webhook to agents, or a per-install one in `.crm/`."""
        return self.escalation_webhook_secret or _local_secret(
            self.crm_home, "escalation_webhook_secret"
        )

    def alert_secret(self) -> str:
        """Secret signing the alert webhook, or a per-install one in `.crm/`."""
        return self.alert_webhook_secret or _local_secret(self.crm_home, "alert_webhook_secret")

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
