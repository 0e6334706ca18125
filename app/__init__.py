"""The application layer: the use cases the CLI and the HTTP API both call.

No HTTP and no terminal code lives here: functions take settings, a database session and
plain values, and return results (or stream them).

    rubric = resolve_rubric(None, settings)
    async for grade in grade_many(transcripts, rubric, settings, GradingOptions(tenant="acme")):
        ...
"""

from app._errors import (
    AuthenticationError,
    ConflictError,
    LimitExceededError,
    NotFoundError,
    ScopeError,
    ServiceError,
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
    "Caller",
    "ConflictError",
    "DimensionSummary",
    "ElementSummary",
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
    "create_key",
    "ensure_tenant",
    "few_shot_for",
    "format_for",
    "grade_many",
    "grade_one",
    "hash_key",
    "list_keys",
    "load_inputs",
    "make_grader",
    "read_body",
    "resolve_rubric",
    "revoke_key",
    "rotate_key",
    "summarize",
    "with_calibration",
]
