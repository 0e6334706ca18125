"""The application layer: the use cases the CLI and the HTTP API both call.

No HTTP and no terminal code lives here: functions take settings, a database session and
plain values, and return results (or stream them).

    rubric = resolve_rubric(None, settings)
    async for grade in grade_many(transcripts, rubric, settings, GradingOptions(tenant="acme")):
        ...

The front door is lazy (PEP 562): `import app.jobs` in a worker, or `from app import
grade_one`, loads only the modules behind the names used, not evals' plotting and
statistics, the coach's store or the calibration code behind the others.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app._calibrate import (
        CalibrationOutcome,
        CalibrationPlan,
        calibrate,
        grade_sets,
        run_calibration,
        write_calibration_reports,
    )
    from app._errors import (
        AuthenticationError,
        ConflictError,
        LimitExceededError,
        NotFoundError,
        ScopeError,
        ServiceError,
    )
    from app._eval import EvalRun, load_calibration_sets, run_eval
    from app._grade_service import grade_and_store, single_transcript
    from app._grade_store import (
        GradeFilter,
        get_grade,
        grades_summary,
        judge_strategy,
        list_grades,
        record_grade,
        tokens_since,
    )
    from app._grading import (
        GradingOptions,
        Note,
        few_shot_for,
        grade_many,
        grade_one,
        make_grader,
        with_calibration,
    )
    from app._inputs import CONTENT_TYPES, format_for, load_inputs, read_body, resolve_rubric
    from app._summary import (
        DimensionSummary,
        ElementSummary,
        GradeSummary,
        UsageSummary,
        summarize,
    )
    from app._tenancy import (
        SCOPES,
        Caller,
        IssuedKey,
        Scope,
        authenticate,
        create_key,
        ensure_tenant,
        hash_key,
        list_keys,
        revoke_key,
        rotate_key,
    )

__all__ = [
    "CONTENT_TYPES",
    "SCOPES",
    "AuthenticationError",
    "CalibrationOutcome",
    "CalibrationPlan",
    "Caller",
    "ConflictError",
    "DimensionSummary",
    "ElementSummary",
    "EvalRun",
    "GradeFilter",
    "GradeSummary",
    "GradingOptions",
    "IssuedKey",
    "LimitExceededError",
    "NotFoundError",
    "Note",
    "Scope",
    "ScopeError",
    "ServiceError",
    "UsageSummary",
    "authenticate",
    "calibrate",
    "create_key",
    "ensure_tenant",
    "few_shot_for",
    "format_for",
    "get_grade",
    "grade_and_store",
    "grade_many",
    "grade_one",
    "grade_sets",
    "grades_summary",
    "hash_key",
    "judge_strategy",
    "list_grades",
    "list_keys",
    "load_calibration_sets",
    "load_inputs",
    "make_grader",
    "read_body",
    "record_grade",
    "resolve_rubric",
    "revoke_key",
    "rotate_key",
    "run_calibration",
    "run_eval",
    "single_transcript",
    "summarize",
    "tokens_since",
    "with_calibration",
    "write_calibration_reports",
]

#: The module behind each exported name, imported on first access.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "app._calibrate": (
        "CalibrationOutcome",
        "CalibrationPlan",
        "calibrate",
        "grade_sets",
        "run_calibration",
        "write_calibration_reports",
    ),
    "app._errors": (
        "AuthenticationError",
        "ConflictError",
        "LimitExceededError",
        "NotFoundError",
        "ScopeError",
        "ServiceError",
    ),
    "app._eval": ("EvalRun", "load_calibration_sets", "run_eval"),
    "app._grade_service": ("grade_and_store", "single_transcript"),
    "app._grade_store": (
        "GradeFilter",
        "get_grade",
        "grades_summary",
        "judge_strategy",
        "list_grades",
        "record_grade",
        "tokens_since",
    ),
    "app._grading": (
        "GradingOptions",
        "Note",
        "few_shot_for",
        "grade_many",
        "grade_one",
        "make_grader",
        "with_calibration",
    ),
    "app._inputs": ("CONTENT_TYPES", "format_for", "load_inputs", "read_body", "resolve_rubric"),
    "app._summary": (
        "DimensionSummary",
        "ElementSummary",
        "GradeSummary",
        "UsageSummary",
        "summarize",
    ),
    "app._tenancy": (
        "SCOPES",
        "Caller",
        "IssuedKey",
        "Scope",
        "authenticate",
        "create_key",
        "ensure_tenant",
        "hash_key",
        "list_keys",
        "revoke_key",
        "rotate_key",
    ),
}
_LAZY = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'app' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
