"""Request and response schemas of the data-hygiene endpoints (shown in the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ContactIn(BaseModel):
    """A contact as imported: the contract's columns, all optional; extra keys are kept."""

    model_config = ConfigDict(extra="allow")

    external_id: str | int | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    email: str | None = None
    phone: str | int | None = None
    company: str | None = None
    street: str | None = None
    city: str | None = None
    postcode: str | int | None = None
    state: str | None = None
    country: str | None = None
    date_of_birth: str | int | float | None = Field(
        default=None, description="any common format, or an Excel serial number"
    )


class CleanRequest(BaseModel):
    record: ContactIn
    default_region: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="ISO alpha-2 region for national phone numbers when the record has no "
        "country; the server's DEFAULT_REGION when omitted",
        examples=["PA"],
    )


class CleanContact(BaseModel):
    """The cleaned fields; `*_key` columns are the forms identity resolution joins on."""

    external_id: str | None = None
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    last_names: list[str] = Field(default_factory=list)
    name_key: str | None = None
    email: str | None = None
    email_key: str | None = None
    email_valid: bool = False
    free_mail: bool | None = None
    phone_e164: str | None = None
    phone_key: str | None = None
    phone_valid: bool = False
    phone_line_type: str | None = None
    phone_extension: str | None = None
    company: str | None = None
    street: str | None = None
    street_key: str | None = None
    city: str | None = None
    city_key: str | None = None
    postcode: str | None = None
    state: str | None = None
    country_code: str | None = None
    date_of_birth: str | None = Field(default=None, description="ISO date")
    attributes: dict[str, Any] = Field(default_factory=dict)


class Issue(BaseModel):
    field: str
    problem: str


class CleanResponse(BaseModel):
    record: CleanContact
    fixes: list[str] = Field(description='what was changed, as "field:what"')
    issues: list[Issue]
