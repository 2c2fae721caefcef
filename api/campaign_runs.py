"""What the nurturing and cart-recovery endpoints share: load the sequences, pick the
requested ones, run the flow now, and shape its report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime

import psycopg

from api.errors import ApiError
from api.schemas_campaigns import (
    CampaignRunRequest,
    CampaignRunResponse,
    LeadAction,
    SequenceCounts,
)
from crm.campaigns.sequence_config import Sequence, SequenceError, load_sequences
from crm.campaigns.sequences import Report
from crm.settings import get_settings

Flow = Callable[[psycopg.Connection, list[Sequence], datetime, bool], Report]


def _sequences(flow: str, names: list[str] | None) -> list[Sequence]:
    try:
        loaded = load_sequences(get_settings().campaign_sequences_dir)
    except SequenceError as exc:  # a deployment mistake: say exactly where
        raise ApiError(500, "invalid_sequence", str(exc), "campaign_sequences_dir") from exc
    of_flow = {s.name: s for s in loaded if s.flow == flow}
    unknown = sorted(set(names or ()) - set(of_flow))
    if unknown:
        known = ", ".join(sorted(of_flow)) or "none"
        raise ApiError(
            422, "unknown_sequence", f"no {flow} sequence {unknown} (known: {known})", "sequences"
        )
    return [of_flow[name] for name in names] if names else list(of_flow.values())


def run_flow(
    conn: psycopg.Connection, flow: str, process: Flow, request: CampaignRunRequest
) -> CampaignRunResponse:
    report = process(conn, _sequences(flow, request.sequences), datetime.now(UTC), request.dry_run)
    return CampaignRunResponse(
        dry_run=report.dry_run,
        sequences=[SequenceCounts(**asdict(tally)) for tally in report.tallies],
        actions=[LeadAction(**asdict(action)) for action in report.actions],
    )
