"""dbt against the test database: land known raw rows, run `dbt build` once per module.

Module-scoped so one build serves every test of a module; it therefore empties `raw` and
`app` itself, exactly as the function-scoped `db` fixture does.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest
from dbt_runner import Built, run_dbt


@pytest.fixture(scope="module")
def build_dbt(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    empty_landing: Callable[[psycopg.Connection], None],
) -> Callable[[Callable[[psycopg.Connection], None]], Built]:
    """`build_dbt(land)`: empty the landing schemas, let `land(conn)` insert, run dbt build."""

    def build(land: Callable[[psycopg.Connection], None]) -> Built:
        with psycopg.connect(database_url, autocommit=True) as conn:
            empty_landing(conn)
            land(conn)
        tmp = tmp_path_factory.mktemp("dbt")
        return Built(database_url, run_dbt(database_url, tmp, "build"), tmp)

    return build
