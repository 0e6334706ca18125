"""Grading a job's items in a worker: bounded concurrency, a fallback model, cancellation.

One semaphore per worker process bounds the model requests in flight
(`settings.job_concurrency`), whatever the number of chunks the queue hands it. When the
primary model fails for good (a non-transient error, or transient ones past the retry
budget: the seam's retries are spent before a grade comes back unscored), the item is
graded once more with the fallback model from `settings.fallback_models`.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from app.jobs._store import record_outcomes
from app.jobs._tables import Job
from app.storage import Database
from grader._errors import BudgetExceededError
from grader._grading import GradeFn, rubric_grader
from grader._results import Grade
from grader._rubric import Rubric, default_rubric, load_rubric
from grader._settings import Settings
from grader._transcript import Transcript
from grader.model import UsageMeter

__all__ = ["ItemGrader"]

#: How long a job's status is trusted before it is read again (cancellation latency).
_STATUS_TTL = 0.5


class ItemGrader:
    """Grades items for one worker process and records each result."""

    def __init__(self, settings: Settings, db: Database, executor: str) -> None:
        self.settings = settings
        self.db = db
        self.executor = executor
        self.meter = UsageMeter(settings.token_budget)
        self._rubric: Rubric | None = None
        self._graders: dict[str, GradeFn] = {}
        self._semaphore: asyncio.Semaphore | None = None
        self._status: dict[str, tuple[float, tuple[str, str, str | None]]] = {}

    @property
    def rubric(self) -> Rubric:
        """The rubric every job of this service is graded with."""
        if self._rubric is None:
            path = self.settings.rubric_path
            self._rubric = load_rubric(path) if path else default_rubric()
        return self._rubric

    def grader(self, model: str) -> GradeFn:
        """The grading function for `model` (built once per process)."""
        if model not in self._graders:
            settings = self.settings.with_overrides(model=model)
            self._graders[model] = rubric_grader(
                self.rubric,
                settings.build_llm(self.meter),
                redact_pii=settings.should_redact,
                use_cache=settings.use_cache,
            )
        return self._graders[model]

    def _job(self, job_id: str) -> tuple[str, str, str | None]:
        """(status, model, fallback model), re-read at most every `_STATUS_TTL` seconds.

        Called on the event loop: most calls are answered from memory, the rest is one read.
        """
        now = time.monotonic()
        cached = self._status.get(job_id)
        if cached is None or now - cached[0] > _STATUS_TTL:
            with self.db.session() as session:
                row = session.execute(
                    select(Job.status, Job.model, Job.fallback_model).where(Job.id == job_id)
                ).one()
            cached = (now, (row[0], row[1], row[2]))
            self._status[job_id] = cached
        return cached[1]

    async def grade_many(self, job_id: str, tenant_id: str, items: list[tuple[int, str]]) -> None:
        """Grade each (index, transcript JSON), then record them all in one transaction.

        Every item ends recorded, graded or failed with why. Written together at the end of
        the chunk: if the worker dies first, the chunk's items are still open and re-run.
        """
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.settings.job_concurrency)
        outcomes = await asyncio.gather(*(self._one(job_id, i, p) for i, p in items))
        done = [(index, o) for (index, _), o in zip(items, outcomes, strict=True) if o is not None]
        await asyncio.to_thread(record_outcomes, self.db, job_id, tenant_id, done, self.executor)

    async def _one(self, job_id: str, index: int, payload: str) -> Grade | str | None:
        """The grade, or the reason there is none; None when the job was cancelled."""
        assert self._semaphore is not None
        async with self._semaphore:
            try:
                status, model, fallback = self._job(job_id)
                if status != "running":
                    return None  # cancelled: the cancel already closed the item
                return await self._grade(Transcript.model_validate_json(payload), model, fallback)
            except BudgetExceededError as exc:
                return f"token budget spent: {exc}"
            except Exception as exc:  # one item's crash must not sink its chunk
                return f"internal error: {type(exc).__name__}: {exc}"

    async def _grade(self, transcript: Transcript, model: str, fallback: str | None) -> Grade:
        grade = await self.grader(model)(transcript)
        if grade.status == "graded" or not fallback:
            return grade
        second = await self.grader(fallback)(transcript)
        if second.status == "graded":
            return second
        return second.model_copy(
            update={"error": f"{model}: {grade.error}; fallback {fallback}: {second.error}"}
        )
