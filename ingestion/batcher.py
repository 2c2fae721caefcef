"""Group commit: concurrent webhook requests share one transaction instead of one each.

A request hands its parsed Delivery to `GroupCommitBatcher.submit` and awaits a future.
A single loop takes everything queued so far (up to `max_batch`), writes it with one
statement on a pooled connection, and resolves every future only after the commit; a
database error fails every request of that batch, and nothing of it is stored. While one
batch commits the next one fills up, so the batch size grows with the load and the cost
of a commit is shared. A batch that fails on bad data is retried one delivery at a time,
so one poisoned delivery cannot fail its neighbours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from psycopg_pool import AsyncConnectionPool

from ingestion.landing import Delivery, land_batch

log = logging.getLogger(__name__)
Item = tuple[Delivery, asyncio.Future[int]]


class GroupCommitBatcher:
    """Collects deliveries from concurrent requests and lands them in shared transactions."""

    def __init__(self, pool: AsyncConnectionPool, max_batch: int = 256, writers: int = 2):
        self._pool = pool
        self._max_batch = max_batch
        self._slots = asyncio.Semaphore(writers)
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin taking deliveries (call inside the running event loop)."""
        self._loop_task = asyncio.create_task(self._run(), name="group-commit")

    async def submit(self, delivery: Delivery) -> int:
        """Land `delivery`; returns its number of new events once the commit is done."""
        if self._loop_task is None or self._loop_task.done():
            raise RuntimeError("the batcher is not running")
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((delivery, future))
        return await future

    async def close(self) -> None:
        """Land what is queued, wait for writes in flight, stop the loop."""
        while not self._queue.empty() and self._loop_task and not self._loop_task.done():
            await asyncio.sleep(0.01)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task

    async def _run(self) -> None:
        while True:
            await self._slots.acquire()
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            task = asyncio.create_task(self._write(batch))
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()

    async def _write(self, batch: list[Item]) -> None:
        try:
            results = await self._land([delivery for delivery, _ in batch])
        except psycopg.DataError as exc:
            if len(batch) == 1:
                _fail(batch, exc)
                return
            log.warning("a batch of %d failed on bad data; landing one by one", len(batch))
            for item in batch:
                await self._write([item])
        except Exception as exc:  # every request of the batch learns of the failure
            _fail(batch, exc)
        else:
            for (_, future), new_events in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(new_events)

    async def _land(self, deliveries: list[Delivery]) -> list[int]:
        async with self._pool.connection() as conn:
            return await land_batch(conn, deliveries)


def _fail(batch: list[Item], exc: Exception) -> None:
    log.error("landing %d deliveries failed: %s", len(batch), exc)
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
