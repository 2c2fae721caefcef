"""The campaign marts built by real dbt over a run of cart recovery on seeded carts.

Twenty Shopify buyers abandon a checkout; dbt builds fct_carts; cart recovery enrols them
(half held out) and sends the first reminders; a third of the carts are then ordered;
dbt builds the campaign marts. The recovery figures must be exactly those of the seeds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from campaign_shop import checkout, land, order
from campaign_world import NOW, hours

from crm.campaigns.carts import recover_carts
from crm.campaigns.sequence_config import load_sequences
from crm.settings import get_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_runner import run_dbt

CARTS = range(1, 21)
ORDERED = {n for n in CARTS if n % 3 == 0}
SELECT = ["--select", "+campaign_lift +fct_cart_recovery", "--indirect-selection", "cautious"]


def build(url: str, tmp: Path) -> None:
    result = run_dbt(url, tmp, "build", *SELECT)
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture(scope="module")
def built(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    empty_landing: Callable[[psycopg.Connection], None],
) -> dict:
    """The world above, run and built; what the run sent and who was held out."""
    tmp = tmp_path_factory.mktemp("dbt")
    with psycopg.connect(database_url, autocommit=True) as conn:
        empty_landing(conn)
    abandoned = NOW - hours(3)
    land(database_url, *[("checkouts/create", checkout(n, abandoned, abandoned)) for n in CARTS])
    # the newest event makes the checkouts' abandonment window (1 h) pass in the mart
    land(database_url, ("checkouts/create", checkout(99, NOW, NOW)))
    build(database_url, tmp)
    (sequence,) = [
        s
        for s in load_sequences(get_settings().campaign_sequences_dir)
        if s.flow == "cart_recovery"
    ]
    sequence = sequence.model_copy(update={"holdout_share": 0.5})
    with psycopg.connect(database_url, autocommit=True) as conn:
        report = recover_carts(conn, [sequence], NOW)
    land(database_url, *[("orders/paid", order(n, NOW + hours(n))) for n in sorted(ORDERED)])
    build(database_url, tmp)
    with psycopg.connect(database_url) as conn:
        groups = dict(conn.execute("select subject, test_group from app.campaign_enrollments"))
    return {"url": database_url, "report": report, "groups": groups}


def rows(built: dict, query: str) -> list[tuple]:
    with psycopg.connect(built["url"]) as conn:
        return conn.execute(query).fetchall()


def test_every_abandoned_cart_is_enrolled_and_only_the_treatment_messaged(built) -> None:
    groups = built["groups"]
    assert set(groups) == {f"tok{n:04d}" for n in CARTS}
    treated = sum(1 for g in groups.values() if g == "treatment")
    assert 0 < treated < len(CARTS)
    assert built["report"].tallies[0].sent == treated
    queued = rows(
        built,
        "select test_group, sum(messages_queued) from marts.fct_campaign_enrollments group by 1",
    )
    assert dict(queued) == {"treatment": treated, "holdout": 0}


def test_fct_cart_recovery_says_which_carts_came_back_when_and_for_how_much(built) -> None:
    recovery = rows(
        built,
        "select cart_id, test_group, recovered, recovered_revenue, hours_to_recovery"
        " from marts.fct_cart_recovery order by cart_id",
    )
    expected = [
        (
            f"tok{n:04d}",
            built["groups"][f"tok{n:04d}"],
            n in ORDERED,
            Decimal("1270.00") if n in ORDERED else Decimal(0),
            Decimal(3 + n) if n in ORDERED else None,  # abandoned 3 h before NOW
        )
        for n in CARTS
    ]
    assert [
        (*r[:4], None if r[4] is None else Decimal(r[4]).quantize(Decimal(1))) for r in recovery
    ] == expected


def test_campaign_lift_gives_each_groups_recovery_rate_revenue_and_interval(built) -> None:
    groups = built["groups"]
    n = {g: sum(1 for x in groups.values() if x == g) for g in ("treatment", "holdout")}
    won = {
        g: sum(1 for c, x in groups.items() if x == g and int(c[3:]) in ORDERED)
        for g in ("treatment", "holdout")
    }
    rate = {g: won[g] / n[g] for g in n}
    lift = rate["treatment"] - rate["holdout"]
    half = (
        1.96
        * (
            rate["treatment"] * (1 - rate["treatment"]) / n["treatment"]
            + rate["holdout"] * (1 - rate["holdout"]) / n["holdout"]
        )
        ** 0.5
    )
    ((name, t_n, h_n, t_rate, h_rate, got_lift, low, high, t_rev, h_rev),) = rows(
        built,
        "select sequence_name, treatment_enrolled, holdout_enrolled, treatment_rate,"
        " holdout_rate, lift, lift_ci_low, lift_ci_high, treatment_revenue, holdout_revenue"
        " from marts.campaign_lift",
    )
    assert (name, t_n, h_n) == ("abandoned_cart", n["treatment"], n["holdout"])
    assert float(t_rate) == pytest.approx(rate["treatment"], abs=1e-4)
    assert float(h_rate) == pytest.approx(rate["holdout"], abs=1e-4)
    assert float(got_lift) == pytest.approx(lift, abs=1e-4)
    assert (float(low), float(high)) == pytest.approx((lift - half, lift + half), abs=1e-4)
    assert (t_rev, h_rev) == (1270 * won["treatment"], 1270 * won["holdout"])


def test_the_campaign_models_pass_their_dbt_tests(built, tmp_path) -> None:
    result = run_dbt(
        built["url"],
        tmp_path,
        "test",
        "--select",
        "campaigns stg_app__campaign_enrollments stg_app__campaign_steps",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "PASS=" in result.stdout
