"""Group commit: many conversations' steps share one transaction.

Each update becomes a *job*. One task takes every job waiting, hands the whole batch to
`apply` inside a single write transaction — which reads the drafts, runs each job's step
and writes the results with a few set-wise statements — commits once, then wakes each
caller with its own result. Replies go out only after their effects are durable, and a
burst of 100 chats costs a handful of commits instead of 100.

A job that raises is not allowed to sink its neighbours: the batch is rolled back and
each job is retried alone, so only the faulty one fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

J = TypeVar("J")
Apply = Callable[[AsyncConnection, Sequence[J]], Awaitable[list[Any]]]


class GroupCommitter(Generic[J]):
    def __init__(self, db: Database, apply: Apply[J], max_batch: int = 256) -> None:
        self._db = db
        self._apply = apply
        self._max_batch = max_batch
        self._queue: asyncio.Queue[tuple[J, asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def run(self, job: J) -> Any:
        """Apply `job` in a shared transaction; returns its result once committed."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="group-committer")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self._queue.put((job, future))
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _loop(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[J, asyncio.Future[Any]]]) -> None:
        try:
            async with self._db.write() as conn:
                results = await self._apply(conn, [job for job, _ in batch])
        except Exception as exc:  # isolate the faulty job: retry the others one by one
            if len(batch) == 1:
                if not batch[0][1].done():
                    batch[0][1].set_exception(exc)
                return
            for item in batch:
                await self._commit([item])
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
