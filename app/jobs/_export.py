"""A job's results as JSON Lines or CSV, streamed page by page (a 100,000-item job included).

One line or row per item, in upload order, failed and cancelled items too (with the
reason), so an export accounts for every record of the upload.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from app.jobs._service import owned_job
from app.jobs._tables import JobItem, JobResult
from app.storage import Database
from grader._errors import InputError

__all__ = ["EXPORT_FORMATS", "export_results"]

EXPORT_FORMATS = ("jsonl", "csv")
_PAGE = 500
_CSV_COLUMNS = (
    *("item_index", "transcript_id", "record", "status", "reason", "overall"),
    *("auto_failed", "needs_review", "model", "rubric_version", "prompt_version"),
    *("prompt_tokens", "completion_tokens", "cost_usd", "seconds"),
)


def _pages(db: Database, job_id: str) -> Iterator[list[tuple[JobItem, JobResult | None]]]:
    after = -1
    while True:
        with db.session() as session:
            rows = session.execute(
                select(JobItem, JobResult)
                .outerjoin(
                    JobResult,
                    (JobResult.job_id == JobItem.job_id)
                    & (JobResult.item_index == JobItem.item_index),
                )
                .where(JobItem.job_id == job_id, JobItem.item_index > after)
                .order_by(JobItem.item_index)
                .limit(_PAGE)
            ).all()
        if not rows:
            return
        yield [(item, result) for item, result in rows]
        after = rows[-1][0].item_index


def _line(item: JobItem, result: JobResult | None) -> dict[str, Any]:
    return {
        "item_index": item.item_index,
        "transcript_id": item.transcript_id,
        "record": item.record,
        "status": item.status,
        "reason": item.reason,
        "grade": result.grade if result is not None else None,
    }


def _row(item: JobItem, result: JobResult | None, dimensions: list[str]) -> list[Any]:
    grade: dict[str, Any] = result.grade if result is not None else {}
    scores = {d.get("dimension_id"): d.get("score") for d in grade.get("dimensions", [])}
    values: list[Any] = [
        item.item_index,
        item.transcript_id or "",
        item.record,
        item.status,
        item.reason or "",
        grade.get("overall", ""),
        grade.get("auto_failed", ""),
        grade.get("needs_review", ""),
    ]
    if result is not None:
        values += [result.model, result.rubric_version, result.prompt_version]
        values += [result.prompt_tokens, result.completion_tokens, result.cost, result.seconds]
    else:
        values += [""] * 7
    return values + [scores.get(d, "") if scores.get(d) is not None else "" for d in dimensions]


def export_results(
    db: Database, tenant_id: str, job_id: str, format: str, *, dimensions: list[str]
) -> Iterator[str]:
    """The export's text in pieces; `dimensions` (the rubric's ids) become CSV columns."""
    owned_job(db, tenant_id, job_id)
    if format not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    if format == "jsonl":
        for page in _pages(db, job_id):
            yield "".join(json.dumps(_line(i, r), ensure_ascii=False) + "\n" for i, r in page)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*_CSV_COLUMNS, *(f"dimension:{d}" for d in dimensions)])
    for page in _pages(db, job_id):
        writer.writerows(_row(i, r, dimensions) for i, r in page)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
