"""Campaign sequences as YAML files: what each says, checked before anything is sent.

One file per sequence under `campaign_sequences_dir` (default `crm/campaigns/sequences/`).
A marketer edits these, so a mistake must be reported with the file and the field
(`warm_price.yaml: steps.1.text: field required`), never as a traceback halfway through
a run that has already messaged half the audience.
"""

from __future__ import annotations

from pathlib import Path
from string import Formatter
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Flow = Literal["nurturing", "cart_recovery"]
Channel = Literal["whatsapp", "messenger", "instagram"]
Language = Literal["es", "en"]
ExitReason = Literal["replied", "purchased", "opted_out"]
# fields a message may use: {first_name} in texts, the same names in template parameters
LEAD_FIELDS = {"first_name", "display_name"}
CART_FIELDS = LEAD_FIELDS | {"checkout_url", "items", "total", "currency", "incentive", "code"}


class SequenceError(ValueError):
    """A sequence file that cannot be used: which file, which field, what is wrong."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Template(Strict):
    """An approved WhatsApp template and the fields that fill its {{1}}, {{2}} ... in order."""

    name: str = Field(min_length=1)
    parameters: tuple[str, ...] = ()


class Incentive(Strict):
    """What a cart-recovery step offers: its wording per language and the discount code."""

    text: dict[Language, str]
    code: str = ""


class Step(Strict):
    """One message: when (hours after the start or the previous step), where, what."""

    delay_hours: float = Field(ge=0)
    after: Literal["start", "previous"] = "start"
    channels: tuple[Channel, ...] = Field(
        default=(), description="preferred channels in order; empty: the latest conversation"
    )
    text: dict[Language, str]
    template: Template
    incentive: Incentive | None = None

    @field_validator("text")
    @classmethod
    def _spanish_at_least(cls, text: dict[str, str]) -> dict[str, str]:
        if "es" not in text:
            raise ValueError("needs at least the Spanish text (es)")
        return text


class Enrol(Strict):
    """Who enters: every listed condition must hold (an empty list means any)."""

    tiers: tuple[Literal["hot", "warm", "cold"], ...] = ()
    intents: tuple[str, ...] = ()
    segments: tuple[str, ...] = Field(default=(), description="RFM segments of dim_customers")
    has_phone: bool = False
    max_age_hours: float = Field(
        default=72, gt=0, description="cart recovery: skip carts abandoned longer ago"
    )


class Sequence(Strict):
    """A named series of steps, who enters it, what ends it, and who is held out."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    flow: Flow
    description: str = ""
    holdout_share: float = Field(default=0.1, ge=0, lt=1)
    enrol: Enrol = Enrol()
    exit_on: tuple[ExitReason, ...] = ("replied", "purchased", "opted_out")
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_fields(self) -> Sequence:
        """Texts and template parameters may only use fields the flow can fill."""
        allowed = CART_FIELDS if self.flow == "cart_recovery" else LEAD_FIELDS
        for number, step in enumerate(self.steps):
            used = {"template.parameters": step.template.parameters}
            for language, text in step.text.items():
                used[f"text.{language}"] = tuple(
                    name for _, name, _, _ in Formatter().parse(text) if name is not None
                )
            for where, names in used.items():
                if unknown := sorted(set(names) - allowed):
                    raise ValueError(
                        f"steps.{number}.{where}: unknown field {unknown[0]!r}"
                        f" (a {self.flow} message may use {sorted(allowed)})"
                    )
        return self


def _where(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(file)"


def load_sequence(path: Path) -> Sequence:
    """One sequence file, validated; SequenceError naming the file and field otherwise."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SequenceError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SequenceError(f"{path.name}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return Sequence.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e)}: {e['msg']}" for e in exc.errors())
        raise SequenceError(f"{path.name}: {problems}") from exc


def load_sequences(folder: Path) -> list[Sequence]:
    """Every `*.yaml` in the folder, sorted by name; names must be unique."""
    sequences = [load_sequence(path) for path in sorted(folder.glob("*.yaml"))]
    seen: set[str] = set()
    for sequence in sequences:
        if sequence.name in seen:
            raise SequenceError(f"{folder}: two sequences are named {sequence.name!r}")
        seen.add(sequence.name)
    return sequences
