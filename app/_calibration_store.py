"""A tenant's calibration sets (human-scored conversations) and calibration runs on them.

A run cross-validates the learned calibration on the set and, when asked, stores the fit
and the exemplars for the tenant; its measurements are kept on the run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import evals
from app._calibrate import CalibrationPlan, run_calibration
from app._errors import ConflictError, NotFoundError
from app.storage import CalibrationRunRecord, CalibrationSetRecord, Database, new_id, utcnow
from grader._errors import GraderError
from grader._rubric import Rubric
from grader._settings import Settings

__all__ = [
    "create_set",
    "delete_set",
    "execute_run",
    "get_run",
    "get_set",
    "list_runs",
    "list_sets",
    "start_run",
    "stored_set",
]


def create_set(
    session: Session,
    tenant_id: str,
    name: str,
    items: list[dict[str, Any]],
    rubric: Rubric,
    *,
    description: str = "",
    focus_elements: list[str] | None = None,
) -> CalibrationSetRecord:
    """Validate the items against `rubric` (the first bad one is named) and keep the set."""
    lines = [json.dumps(item) for item in items]
    parsed = evals.parse_items(lines, rubric, source=f"items of {name!r}, item")
    taken = session.scalar(
        select(CalibrationSetRecord.id).where(
            CalibrationSetRecord.tenant_id == tenant_id, CalibrationSetRecord.name == name
        )
    )
    if taken is not None:
        raise ConflictError(f"calibration set {name!r} exists ({taken})")
    record = CalibrationSetRecord(
        id=new_id("cal"), tenant_id=tenant_id, name=name, description=description,
        item_count=len(parsed), items=[i.model_dump(mode="json") for i in parsed],
        focus_elements=focus_elements or [],
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


def get_set(session: Session, tenant_id: str, set_id: str) -> CalibrationSetRecord:
    """The tenant's set by id or name."""
    record = session.scalar(
        select(CalibrationSetRecord).where(
            CalibrationSetRecord.tenant_id == tenant_id,
            (CalibrationSetRecord.id == set_id) | (CalibrationSetRecord.name == set_id),
        )
    )
    if record is None:
        raise NotFoundError("calibration set", set_id)
    return record


def list_sets(session: Session, tenant_id: str) -> Sequence[CalibrationSetRecord]:
    """The tenant's sets by name."""
    query = select(CalibrationSetRecord).where(CalibrationSetRecord.tenant_id == tenant_id)
    return session.scalars(query.order_by(CalibrationSetRecord.name)).all()


def delete_set(session: Session, tenant_id: str, set_id: str) -> None:
    """Remove a set and its runs."""
    record = get_set(session, tenant_id, set_id)
    for run in session.scalars(
        select(CalibrationRunRecord).where(CalibrationRunRecord.set_id == record.id)
    ):
        session.delete(run)
    session.delete(record)


def stored_set(record: CalibrationSetRecord) -> evals.CalibrationSet:
    """The stored set as the evals library's set."""
    return evals.CalibrationSet(
        name=record.name, source=f"calibration set {record.id}",
        items=[evals.CalibrationItem.model_validate(i) for i in record.items],
        focus_elements=record.focus_elements, description=record.description,
    )  # fmt: skip


def start_run(
    session: Session, tenant_id: str, set_id: str, folds: int, rubric: Rubric
) -> CalibrationRunRecord:
    """A queued run (status `running`); `execute_run` does the work."""
    record = get_set(session, tenant_id, set_id)
    if folds > record.item_count:
        raise evals.CalibrationSetError(
            f"folds: {folds} folds need at least {folds} items; the set has {record.item_count}"
        )
    run = CalibrationRunRecord(
        id=new_id("crun"), tenant_id=tenant_id, set_id=record.id, status="running", folds=folds
    )
    session.add(run)
    session.flush()
    return run


async def execute_run(
    db: Database, settings: Settings, run_id: str, rubric: Rubric, plan: CalibrationPlan
) -> None:
    """Run a queued calibration and keep its outcome or its error on the run."""
    with db.session() as session:
        run = session.get(CalibrationRunRecord, run_id)
        if run is None:
            return
        cset = stored_set(get_set(session, run.tenant_id, run.set_id))
    status, error = "done", None
    result: dict[str, Any] | None = None
    calibration_id: str | None = None
    try:
        outcome = await run_calibration([cset], rubric, settings, plan)
    except (GraderError, ValueError) as exc:
        status, error = "failed", str(exc)
    else:
        result = {k: v.model_dump(mode="json") for k, v in outcome.checks.items()}
        calibration_id = outcome.calibration.calibration_id if outcome.calibration else None
    with db.session() as session:
        run = session.get(CalibrationRunRecord, run_id)
        if run is not None:
            run.status, run.result, run.error = status, result, error
            run.calibration_id, run.finished_at = calibration_id, utcnow()


def get_run(session: Session, tenant_id: str, run_id: str) -> CalibrationRunRecord:
    """The tenant's run."""
    run = session.scalar(
        select(CalibrationRunRecord).where(
            CalibrationRunRecord.tenant_id == tenant_id, CalibrationRunRecord.id == run_id
        )
    )
    if run is None:
        raise NotFoundError("calibration run", run_id)
    return run


def list_runs(session: Session, tenant_id: str) -> Sequence[CalibrationRunRecord]:
    """The tenant's runs, newest first."""
    query = select(CalibrationRunRecord).where(CalibrationRunRecord.tenant_id == tenant_id)
    return session.scalars(query.order_by(CalibrationRunRecord.created_at.desc())).all()
