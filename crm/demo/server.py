"""Start the API as a child process on a free loopback port, and stop it again.

The demo and the benchmark talk to the API over real HTTP, exactly as Meta would, so they
run it the way a user does (`crm serve`) rather than calling the app in-process. The child
gets the resolved DATABASE_URL so it joins the database already running instead of
racing to start the embedded server itself.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from crm.settings import PROJECT_ROOT, get_settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(
    base_url: str, timeout: float = 90.0, process: subprocess.Popen | None = None
) -> None:
    """Poll GET /health until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the API exited with code {process.returncode}")
        try:
            response = httpx.get(f"{base_url}/health", timeout=2)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        except httpx.TransportError as error:
            last = type(error).__name__
        time.sleep(0.25)
    raise TimeoutError(f"the API at {base_url} was not healthy after {timeout:.0f}s ({last})")


@contextmanager
def api_process(
    database_url: str, log_path: Path, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """Run `crm serve` on 127.0.0.1:<port>; yields its base URL, stops it on exit."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "crm.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    env = os.environ | {"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(base_url, process=process)
            yield base_url
        except BaseException:
            _tail(log_path)
            raise
        finally:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (uvicorn finishes in-flight requests), then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log_path: Path, lines: int = 20) -> None:
    text = log_path.read_text(errors="replace").splitlines()[-lines:] if log_path.exists() else []
    if text:
        print(f"  last lines of {log_path}:", *("    " + line for line in text), sep="\n")


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """A benchmark's `--url` (a running API) and `--start-server` (its own API) options."""
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a running API (loopback)")
    parser.add_argument("--start-server", action="store_true", help="start the API here")


def refuses_target(args: argparse.Namespace) -> bool:
    """True (and says so) when `--url` is not a loopback address: benchmarks stay local."""
    if args.start_server or urlsplit(args.url).hostname in LOOPBACK:
        return False
    print("refusing: this benchmark only targets loopback addresses", file=sys.stderr)
    return True


def bench_target(
    args: argparse.Namespace, log_name: str, workers: int = 1
) -> AbstractContextManager[str]:
    """`--start-server`: our own `crm serve` on a free port (with the bare baseline endpoint,
    logging to `<crm home>/bench/<log_name>`), against the configured DB; else `--url`."""
    if not args.start_server:
        return nullcontext(args.url.rstrip("/"))
    from crm.database import database_url

    os.environ["CRM_BENCH_ENDPOINT"] = "1"  # mount the baseline endpoint in the server
    log = get_settings().crm_home / "bench" / log_name
    print(f"starting the API (log: {log}) ...", flush=True)
    return api_process(database_url(), Path(log), workers=workers)
