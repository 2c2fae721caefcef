"""Optional third-party enrichment providers, behind one interface; none runs unconfigured.

A provider (a firmographics API, a phone-carrier lookup ...) implements `EnrichmentProvider`
and registers a factory under a name. Only the names listed in `CRM_ENRICHMENT_PROVIDERS`
(comma-separated) are built, and a factory returns None when its own settings (an API key)
are missing, so a fresh install never calls anyone. A provider that fails is reported
beside the offline enrichment, never instead of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol

ENV_VAR = "CRM_ENRICHMENT_PROVIDERS"


class EnrichmentProvider(Protocol):
    """Adds facts about one lead from outside; `lead` is the offline enrichment so far."""

    name: str

    def enrich(self, lead: Mapping[str, Any]) -> Mapping[str, Any]: ...


ProviderFactory = Callable[[Mapping[str, str]], EnrichmentProvider | None]
_REGISTRY: dict[str, ProviderFactory] = {}


def register(name: str, factory: ProviderFactory) -> None:
    """Make a provider available under `name` (it still runs only when configured)."""
    _REGISTRY[name] = factory


def configured_providers(environ: Mapping[str, str] | None = None) -> list[EnrichmentProvider]:
    """The registered providers named in CRM_ENRICHMENT_PROVIDERS whose settings are present."""
    environ = os.environ if environ is None else environ
    names = [name.strip() for name in environ.get(ENV_VAR, "").split(",") if name.strip()]
    built = (_REGISTRY[name](environ) for name in names if name in _REGISTRY)
    return [provider for provider in built if provider is not None]


def run_providers(
    providers: list[EnrichmentProvider], lead: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each provider's answer by name; a failure becomes {"error": ...} for that one only."""
    results: dict[str, dict[str, Any]] = {}
    for provider in providers:
        try:
            results[provider.name] = dict(provider.enrich(lead))
        except Exception as exc:  # an outside service must not break the offline answer
            results[provider.name] = {"error": f"{type(exc).__name__}: {exc}"}
    return results
