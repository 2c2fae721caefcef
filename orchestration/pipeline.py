"""`crm pipeline`: every asset once, in dependency order, in this process.

Runs the `everything` job of the code location in-process (no daemon, no webserver), on
the instance under `DAGSTER_HOME` when set so the run shows in the UI, else an ephemeral
one. Prints one line per asset as it lands (dbt's own chatter goes to a log file under
`.crm/logs/`), records the run in `app.pipeline_runs`, and answers True or False: a
failure names its step and never raises to the CLI.
"""

import contextlib
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import dagster as dg

from orchestration.run_log import record_run, run_detail


class _ProgressHandler(logging.Handler):
    """Turns Dagster's structured events into short progress lines."""

    def __init__(self, out: TextIO, started: float) -> None:
        super().__init__()
        self.out, self.started = out, started

    def _say(self, text: str) -> None:
        print(f"  {time.monotonic() - self.started:5.0f}s  {text}", file=self.out, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None:
            return
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION and event.asset_key:
            self._say(f"built   {event.asset_key.to_user_string()}")
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.asset_check_evaluation_data
            if not check.passed:
                self._say(f"check   {check.asset_key.to_user_string()}:{check.check_name} failed")
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            message = error.message.strip().splitlines()[0] if error else "unknown error"
            self._say(f"FAILED  step {event.step_key}: {message}")


def _progress_logger(out: TextIO, started: float) -> dg.LoggerDefinition:
    """The logger `crm pipeline` runs with instead of Dagster's verbose console."""

    def _make(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger("crm.pipeline", level=logging.DEBUG)
        logger.addHandler(_ProgressHandler(out, started))
        return logger

    return dg.LoggerDefinition(_make, description="One line per asset, failed check or step.")


@contextlib.contextmanager
def _instance() -> Iterator[dg.DagsterInstance]:
    """The instance under DAGSTER_HOME when set (runs show in the UI), else an ephemeral one."""
    home = os.environ.get("DAGSTER_HOME")
    if home:
        os.makedirs(home, exist_ok=True)
    with dg.DagsterInstance.get() if home else dg.DagsterInstance.ephemeral() as instance:
        yield instance


def _prepare(progress: dg.LoggerDefinition) -> dg.JobDefinition:
    """Start the database, apply migrations, load the definitions; raises on any failure."""
    from crm.database import database_url
    from crm.migrate import upgrade
    from orchestration.definitions import defs

    database_url()
    upgrade()
    with_progress = dg.Definitions.merge(defs, dg.Definitions(loggers={"progress": progress}))
    return with_progress.resolve_job_def("everything")


def _log_file(run_id: str) -> Path:
    """Where this run's dbt output goes: `<CRM_HOME>/logs/pipeline-<run>.log`."""
    from crm.settings import get_settings

    folder = get_settings().crm_home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"pipeline-{run_id[:8]}.log"


def _execute(job: dg.JobDefinition, run_id: str, log: Path) -> tuple[bool, dict[str, Any]]:
    """Run the job in-process with stdout (dbt's stream) sent to the log file."""
    try:
        with _instance() as instance, log.open("w") as sink, contextlib.redirect_stdout(sink):
            result = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                raise_on_error=False,
                run_config={"loggers": {"progress": {}}},
            )
            return result.success, {"job": job.name, **run_detail(instance, run_id)}
    except Exception as exc:
        return False, {"job": job.name, "error": f"{type(exc).__name__}: {exc}"}


def run_pipeline() -> bool:
    """Materialise every asset once; print progress; True on success, False on failure."""
    started = time.monotonic()
    print("pipeline: preparing the database and the dbt manifest", flush=True)
    try:
        job = _prepare(_progress_logger(sys.stdout, started))
        from crm.database import get_engine

        engine, run_id = get_engine(), str(uuid.uuid4())
        record_run(engine, run_id, "started", started_at=datetime.now(UTC), detail={})
    except Exception as exc:  # the CLI turns False into a non-zero exit
        print(f"pipeline: FAILED while preparing: {type(exc).__name__}: {exc}", flush=True)
        return False
    log = _log_file(run_id)
    print(f"pipeline: running job {job.name}, run {run_id[:8]} (dbt output: {log})", flush=True)
    success, detail = _execute(job, run_id, log)
    status = "success" if success else "failure"
    try:
        record_run(engine, run_id, status, finished_at=datetime.now(UTC), detail=detail)
    except Exception as exc:
        print(f"pipeline: could not record the run: {exc}", flush=True)
    print(_summary(status, detail, time.monotonic() - started), flush=True)
    return success


def _summary(status: str, detail: dict[str, Any], seconds: float) -> str:
    """One closing line: what was built, which checks failed, which step broke."""
    layers = ", ".join(f"{n} {layer}" for layer, n in detail.get("assets_by_layer", {}).items())
    line = (
        f"pipeline: {status} in {seconds:.0f}s: {detail.get('assets_materialized', 0)} assets"
        f" ({layers or 'none'}), checks {detail.get('checks_passed', 0)} passed"
        f" / {detail.get('checks_failed', 0)} failed"
    )
    if detail.get("failed_steps"):
        line += f"; failed step(s): {', '.join(detail['failed_steps'])}"
    if detail.get("error"):
        line += f"; error: {detail['error']}"
    return line
