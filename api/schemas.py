"""Response schemas of the system and webhook endpoints (shown in the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. bad_signature")
    message: str
    field: str | None = Field(default=None, description="the header, parameter or field at fault")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class WebhookAccepted(BaseModel):
    status: str = "ok"
    events: int = Field(description="events found in the delivery")
    new_events: int = Field(description="events not stored before (0 for a redelivery)")


class CommerceAccepted(BaseModel):
    status: str = "ok"
    duplicate: bool = Field(
        description="true when this X-Shopify-Webhook-Id was stored before (nothing new stored)"
    )


class RootInfo(BaseModel):
    name: str
    version: str
    links: dict[str, str]


class DatabaseHealth(BaseModel):
    reachable: bool
    error: str | None = None


class PipelineRun(BaseModel):
    run_id: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None


class ServedModel(BaseModel):
    name: str = Field(examples=["crm-intent"])
    version: str | None = Field(
        description="champion version in use; null while the corpus-trained stand-in answers"
    )


class HealthReport(BaseModel):
    status: str = Field(description="ok, or unavailable when the database cannot be reached")
    version: str
    database: DatabaseHealth
    latest_pipeline_run: PipelineRun | None = None
    models: list[ServedModel] = Field(default=[], description="the models this API serves")
    error: ErrorDetail | None = None
