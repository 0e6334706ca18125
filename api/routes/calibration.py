"""Calibration sets (human-scored conversations) and runs of a learned calibration on them."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from api._deps import AdminCaller, DatabaseDep, GradeCaller, SessionDep, SettingsDep
from api._errors import AUTH, responses
from api._schemas import (
    CalibrationRunCreate,
    CalibrationRunPublic,
    CalibrationRunsPublic,
    CalibrationSetCreate,
    CalibrationSetPublic,
    CalibrationSetsPublic,
)
from app import GradingOptions
from app import _calibration_store as store
from app._calibrate import CalibrationPlan
from app._rubrics import rubric_for_grading

router = APIRouter(prefix="/calibration", tags=["calibration"])


@router.post("/sets", status_code=201, responses=responses(*AUTH, 404, 409, 422))
def create_set(
    body: CalibrationSetCreate, caller: AdminCaller, session: SessionDep
) -> CalibrationSetPublic:
    """Keep a set; its items are validated against the rubric (the first bad one is named)."""
    rubric, _ = rubric_for_grading(session, caller.tenant_id, body.rubric_id)
    record = store.create_set(
        session, caller.tenant_id, body.name, body.items, rubric,
        description=body.description, focus_elements=body.focus_elements,
    )  # fmt: skip
    return CalibrationSetPublic.of(record)


@router.get("/sets", responses=responses(*AUTH))
def read_sets(caller: GradeCaller, session: SessionDep) -> CalibrationSetsPublic:
    """The tenant's sets."""
    sets = store.list_sets(session, caller.tenant_id)
    return CalibrationSetsPublic(data=[CalibrationSetPublic.of(s) for s in sets])


@router.get("/sets/{set_id}", responses=responses(*AUTH, 404))
def read_set(set_id: str, caller: GradeCaller, session: SessionDep) -> CalibrationSetPublic:
    """One set (by id or name)."""
    return CalibrationSetPublic.of(store.get_set(session, caller.tenant_id, set_id))


@router.delete("/sets/{set_id}", status_code=204, responses=responses(*AUTH, 404))
def delete_set(set_id: str, caller: AdminCaller, session: SessionDep) -> None:
    """Remove a set and its runs."""
    store.delete_set(session, caller.tenant_id, set_id)


@router.post("/runs", status_code=202, responses=responses(*AUTH, 404, 422))
def start_run(
    body: CalibrationRunCreate,
    caller: AdminCaller,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> CalibrationRunPublic:
    """Start a run (202); poll it until `done` or `failed`."""
    rubric, _ = rubric_for_grading(session, caller.tenant_id, body.rubric_id)
    run = store.start_run(session, caller.tenant_id, body.set_id, body.folds, rubric)
    plan = CalibrationPlan(
        folds=body.folds, seed=body.seed, bootstrap=body.bootstrap, save=body.save,
        options=GradingOptions(tenant=caller.tenant_id),
    )  # fmt: skip
    tasks.add_task(store.execute_run, database, settings, run.id, rubric, plan)
    return CalibrationRunPublic.of(run)


@router.get("/runs", responses=responses(*AUTH))
def read_runs(caller: GradeCaller, session: SessionDep) -> CalibrationRunsPublic:
    """The tenant's runs, newest first."""
    runs = store.list_runs(session, caller.tenant_id)
    return CalibrationRunsPublic(data=[CalibrationRunPublic.of(r) for r in runs])


@router.get("/runs/{run_id}", responses=responses(*AUTH, 404))
def read_run(run_id: str, caller: GradeCaller, session: SessionDep) -> CalibrationRunPublic:
    """One run and, once done, its measurements."""
    return CalibrationRunPublic.of(store.get_run(session, caller.tenant_id, run_id))
