"""The `crm` console script: the doors a user and `make` go through.

Each command is a thin shell over a function in its package, imported lazily so that
`crm db url` stays fast and no command drags in Dagster or FastAPI unless it needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Autonomous CRM data platform.", no_args_is_help=True)
db_app = typer.Typer(help="The database in use.", no_args_is_help=True)
import_app = typer.Typer(help="Land files in the raw schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
ml_app = typer.Typer(help="The text models' training data.", no_args_is_help=True)
app.add_typer(ml_app, name="ml")


@db_app.command("url")
def db_url() -> None:
    """Print the database URL, starting the embedded server if needed (it keeps running)."""
    from crm.database import database_url

    typer.echo(database_url())


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded server (a no-op when DATABASE_URL is set)."""
    from crm import embedded
    from crm.settings import get_settings

    settings = get_settings()
    if settings.database_url:
        typer.echo("DATABASE_URL is set: nothing to stop.")
        return
    stopped = embedded.stop(settings.crm_home)
    typer.echo(
        "embedded PostgreSQL stopped." if stopped else "embedded PostgreSQL was not running."
    )


@import_app.command("contacts")
def import_contacts(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Land a CRM contact export (CSV, `,` or `;`, UTF-8 with or without BOM) in raw.contacts."""
    from crm.migrate import upgrade
    from ingestion.contacts import import_contacts as land

    upgrade()
    report = land(file)
    for problem in report.errors:
        typer.echo(f"{file}:{problem.line_number}: {problem.message}", err=True)
    typer.echo(
        f"{report.inserted} new, {report.unchanged} unchanged, {len(report.errors)} rejected "
        f"of {report.rows} rows"
    )
    if report.rows and not (report.inserted or report.unchanged):
        raise typer.Exit(1)


@import_app.command("invoices")
def import_invoices(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Land an invoice export (CSV: number, email / phone, amount, currency, issued, due,
    paid_at) in raw.invoices; one bad line and nothing is written."""
    from crm.migrate import upgrade
    from ingestion.invoices import import_invoices as land

    upgrade()
    report = land(file)
    for problem in report.errors:
        typer.echo(f"{file}:{problem.line_number}: {problem.message}", err=True)
    if report.errors:
        typer.echo(f"nothing imported: {len(report.errors)} bad line(s) of {report.rows}")
        raise typer.Exit(1)
    typer.echo(f"{report.inserted} new or updated, {report.unchanged} unchanged of {report.rows}")


@import_app.command("knowledge")
def import_knowledge(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False, readable=True)],
) -> None:
    """Load the bot's knowledge base: Markdown / CSV files (es / en) into app.knowledge_passages
    (and, with EMBEDDING_MODEL set, embed the new or changed passages)."""
    import psycopg

    from crm.conversation.embeddings import EmbeddingUnavailable, build_embedder
    from crm.conversation.knowledge import import_knowledge as load
    from crm.conversation.passage_vectors import embed_passages
    from crm.database import database_url
    from crm.migrate import upgrade
    from crm.settings import get_settings

    upgrade()
    embedder = build_embedder(get_settings())
    with psycopg.connect(database_url(), autocommit=True) as conn:
        files, passages = load(conn, folder)
        typer.echo(f"{passages} passages from {files} files")
        if embedder is not None:
            try:
                embedded = embed_passages(conn, embedder)
            except EmbeddingUnavailable as exc:
                typer.echo(f"embedding stopped, run the import again: {exc}", err=True)
                raise typer.Exit(1) from exc
            typer.echo(f"{embedded} new or changed passages embedded with {embedder.name}")
    if not passages:
        raise typer.Exit(1)


@ml_app.command("teach")
def ml_teach(
    limit: Annotated[int, typer.Option(min=1, help="most new messages labelled in this run")] = 500,
) -> None:
    """Label real inbound messages with the LLM (PII masked) into ml.teacher_labels, the
    intent and sentiment models' extra training data; needs an LLM key."""
    import psycopg

    from crm.conversation.llm_classify import classify_chain, llm_teacher
    from crm.conversation.understanding import detect_language
    from crm.database import database_url
    from crm.migrate import upgrade
    from crm.settings import get_settings
    from ml.text.teacher import label_messages

    chain = classify_chain(get_settings())
    if chain is None:
        typer.echo("crm ml teach needs an LLM: set OPENAI_API_KEY or ANTHROPIC_API_KEY", err=True)
        raise typer.Exit(2)
    upgrade()
    with psycopg.connect(database_url(), autocommit=True) as conn:
        report = label_messages(conn, llm_teacher(chain, conn), detect_language, limit)
    typer.echo(
        f"{report.labelled} labelled, {report.already} already labelled, "
        f"{report.failed} failed (no LLM answered; see app.llm_calls)"
    )
    if report.failed and not report.labelled:
        raise typer.Exit(1)


@app.command()
def worker(
    poll: Annotated[float, typer.Option(help="seconds between polls when idle")] = 0.05,
    heartbeat: Annotated[
        Path | None, typer.Option(help="file touched every few seconds while healthy")
    ] = None,
    drain: Annotated[
        bool, typer.Option(help="process what is pending, send the outbox, then exit")
    ] = False,
) -> None:
    """Process landed messages (understand, route, reply) and drain the outbox; Ctrl-C stops."""
    import signal
    import threading

    from crm.conversation.worker import drain_queue, run_worker
    from crm.database import database_url
    from crm.migrate import upgrade
    from crm.settings import get_settings

    url = database_url()
    upgrade()
    if drain:
        typer.echo(f"{drain_queue(url, get_settings())} events processed")
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    typer.echo("worker running (Ctrl-C stops)")
    run_worker(url, get_settings(), stop, poll_interval=poll, heartbeat=heartbeat)


@app.command()
def pipeline() -> None:
    """Materialise every asset once, in order, in-process; non-zero exit on failure."""
    from orchestration.pipeline import run_pipeline

    if not run_pipeline():
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (CRM_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (CRM_API_PORT, default 8000)")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Run the HTTP API."""
    import uvicorn

    from crm.database import database_url
    from crm.migrate import upgrade
    from crm.settings import get_settings

    settings = get_settings()
    database_url()  # start the embedded server here, once, not in every worker
    upgrade()
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.crm_api_host,
        port=port or settings.crm_api_port,
        workers=workers,
        log_level="warning",
    )


@app.command()
def demo() -> None:
    """What `make demo` runs: sample traffic over HTTP, a contacts import, the pipeline."""
    from crm.demo.run import run_demo

    if not run_demo():
        raise typer.Exit(1)


def main() -> None:
    """The console script: an unreachable database is one clear line and exit 1, not a
    traceback; anything else unexpected still shows its traceback (it is a bug)."""
    import psycopg
    import sqlalchemy.exc

    try:
        app()
    except (psycopg.OperationalError, sqlalchemy.exc.OperationalError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        typer.echo(f"crm: the database cannot be reached: {reason}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
