"""The one exception root of Interaction Grader, and its tree.

Every error the project raises on purpose is a `GraderError`; the core's members live here,
the service's and the evals' where they are used (module in brackets), so a caller catches
`GraderError` and an API maps each branch to one status code.

```
GraderError
├── InputError                   bad input from a user: nothing was graded from it (4xx)
│   ├── TranscriptError          a transcript record is malformed (file, record, field)
│   ├── RubricError              a rubric file is invalid (path in the rubric, reason)
│   ├── ImportFormatError        a file is not in the format it was read as
│   │   └── UploadTooLargeError  [app.jobs] an upload over the size limit
│   ├── BodyTooLargeError        [api] a request body over the limit
│   ├── IdempotencyKeyReusedError [app.jobs] the same key with another body
│   ├── FeedbackError, WebhookPayloadError  [app.qa]
│   └── CalibrationSetError, GateConfigError, ContrastSetError  [evals]
├── ModelError                   the LLM could not give a usable answer
│   ├── TransientModelError      worth retrying (429, 5xx, timeout); carries retry_after
│   ├── InvalidAnswerError       answers stayed invalid after every re-ask; carries attempts
│   └── BudgetExceededError      the run's token budget is spent; nothing more is sent
├── ConfigurationError           settings that cannot work (unknown model, missing file)
└── ServiceError                 [app] the service refuses a request
    ├── AuthenticationError      no or a bad key (401)
    │   └── WebhookSignatureError [app.qa]
    ├── ScopeError               the key lacks the scope (403)
    ├── NotFoundError            absent, or another tenant's (404)
    ├── ConflictError            the object cannot change now (409)
    │   ├── RubricVersionImmutableError [app.storage] a version changed in place
    │   └── AuditImmutableError  [app.qa] an audit row changed or deleted
    └── LimitExceededError       rate limit or token budget (429, with retry_after)
```

A grade the model could not produce is not raised to the caller of a run: it comes back
as an explicit *unscored* result that carries the error's message.
"""

from __future__ import annotations

__all__ = [
    "BudgetExceededError",
    "ConfigurationError",
    "GraderError",
    "ImportFormatError",
    "InputError",
    "InvalidAnswerError",
    "ModelError",
    "RubricError",
    "TranscriptError",
    "TransientModelError",
]


class GraderError(Exception):
    """Root of every error this project raises on purpose."""


class InputError(GraderError):
    """Input from a user that cannot be used as it is."""


class TranscriptError(InputError):
    """A transcript record is malformed; says where (file, record) and which field."""

    def __init__(
        self, message: str, *, source: str = "", record: str = "", field: str = ""
    ) -> None:
        self.source = source
        self.record = record
        self.field = field
        where = ":".join(part for part in (source, record) if part)
        prefix = f"{where}: " if where else ""
        suffix = f" (field '{field}')" if field else ""
        super().__init__(f"{prefix}{message}{suffix}")


class RubricError(InputError):
    """A rubric is invalid; `problems` lists each one as 'path: reason'."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        detail = "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(f"{message}{detail}")


class ImportFormatError(InputError):
    """A file is not in the format it was read as (not JSON, missing columns, …)."""


class ModelError(GraderError):
    """The LLM did not give a usable answer."""


class TransientModelError(ModelError):
    """A failure worth retrying: rate limit, server error, timeout."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class InvalidAnswerError(ModelError):
    """The model's answers stayed invalid after every re-ask."""

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        self.attempts = attempts
        super().__init__(message)


class BudgetExceededError(ModelError):
    """The run's token budget is spent; no further request is sent."""


class ConfigurationError(GraderError):
    """Settings that cannot work, such as an unknown model or a missing file."""
