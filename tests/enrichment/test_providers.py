"""Optional providers: registered by name, called only when configured, failures contained."""

from collections.abc import Mapping
from typing import Any

from ingestion.enrichment.providers import configured_providers, register, run_providers


class EchoProvider:
    """A provider that needs a key and answers from the lead it is given (no network)."""

    name = "echo-test"

    def __init__(self, key: str) -> None:
        self.key = key

    def enrich(self, lead: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"country_seen": lead.get("country_code"), "key_used": bool(self.key)}


class BrokenProvider:
    name = "broken-test"

    def enrich(self, lead: Mapping[str, Any]) -> Mapping[str, Any]:
        raise TimeoutError("provider timed out")


def _echo_factory(environ: Mapping[str, str]) -> EchoProvider | None:
    key = environ.get("ECHO_TEST_KEY")
    return EchoProvider(key) if key else None


register("echo-test", _echo_factory)
register("broken-test", lambda environ: BrokenProvider())


def test_nothing_is_configured_by_default() -> None:
    assert configured_providers({}) == []


def test_a_named_provider_without_its_key_is_not_built() -> None:
    assert configured_providers({"CRM_ENRICHMENT_PROVIDERS": "echo-test"}) == []


def test_a_named_provider_with_its_key_runs() -> None:
    environ = {"CRM_ENRICHMENT_PROVIDERS": "echo-test, unknown", "ECHO_TEST_KEY": "k"}
    providers = configured_providers(environ)
    assert [p.name for p in providers] == ["echo-test"]
    assert run_providers(providers, {"country_code": "PA"}) == {
        "echo-test": {"country_seen": "PA", "key_used": True}
    }


def test_a_failing_provider_is_reported_not_raised() -> None:
    environ = {"CRM_ENRICHMENT_PROVIDERS": "broken-test,echo-test", "ECHO_TEST_KEY": "k"}
    answers = run_providers(configured_providers(environ), {})
    assert answers["broken-test"] == {"error": "TimeoutError: provider timed out"}
    assert "country_seen" in answers["echo-test"]
