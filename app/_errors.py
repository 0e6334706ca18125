"""What the application layer raises, under the project's one root `GraderError`.

```
GraderError (grader._errors)
├── InputError ...             bad input: the API answers 422, the CLI exits 2
└── ServiceError               a request the service refuses
    ├── AuthenticationError    no key, or a key that is unknown or revoked (401)
    ├── ScopeError             the key lacks the scope the operation needs (403)
    ├── NotFoundError          no such object for this tenant (404; other tenants' too)
    ├── ConflictError          the object cannot change now (a rubric version in use) (409)
    │   ├── RubricVersionImmutableError  [app.storage] a version changed in place
    │   └── AuditImmutableError          [app.qa] an audit row changed or deleted
    └── LimitExceededError     rate limit or token budget spent; carries retry_after (429)
```
"""

from __future__ import annotations

from grader._errors import GraderError

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "LimitExceededError",
    "NotFoundError",
    "ScopeError",
    "ServiceError",
]


class ServiceError(GraderError):
    """A request the service refuses."""


class AuthenticationError(ServiceError):
    """No API key, or one that is unknown or revoked."""


class ScopeError(ServiceError):
    """The key is valid but lacks the scope the operation needs."""

    def __init__(self, needed: str) -> None:
        self.needed = needed
        super().__init__(f"this key lacks the '{needed}' scope")


class NotFoundError(ServiceError):
    """No such object for this tenant (another tenant's object is not found either)."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class ConflictError(ServiceError):
    """The object exists but cannot be changed or removed now."""


class LimitExceededError(ServiceError):
    """A tenant's rate limit or token budget is spent; `retry_after` seconds until it is not."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(message)
