"""One error body for every failure, and the map from our exceptions to HTTP statuses.

Routes raise the application's exceptions; the handlers here answer them, so no route
builds an error response by hand. `responses(401, 404)` documents the same in OpenAPI.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api._schemas import ErrorBody, ErrorDetail
from app._errors import (
    AuthenticationError,
    ConflictError,
    LimitExceededError,
    NotFoundError,
    ScopeError,
)
from grader._errors import GraderError, InputError, RubricError

__all__ = ["BodyTooLargeError", "install_handlers", "responses"]

_DESCRIPTIONS = {
    400: "The request cannot be read.",
    401: "No API key, or an unknown or revoked one.",
    403: "The key lacks the scope this route needs.",
    404: "No such object for this tenant.",
    409: "The object cannot change now (e.g. a rubric version used by grades).",
    413: "The body is larger than this route accepts.",
    422: "The input is invalid; the message names the problem.",
    429: "Rate limit or token budget spent; see Retry-After.",
    502: "The model answered with an error.",
    503: "A dependency (database, model) is not available.",
    504: "The model did not answer in time.",
}


class BodyTooLargeError(InputError):
    """A request body over the route's limit."""


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for these statuses, all with the one error body."""
    return {
        code: {"model": ErrorBody, "description": _DESCRIPTIONS.get(code, "Error.")}
        for code in codes
    }


#: What every authenticated route can answer.
AUTH = (401, 403, 429)

_STATUS: list[tuple[type[GraderError], int, str]] = [
    (AuthenticationError, 401, "unauthenticated"),
    (ScopeError, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (LimitExceededError, 429, "limit_exceeded"),
    (BodyTooLargeError, 413, "too_large"),
    (InputError, 422, "invalid_input"),
]


def _body(status: int, code: str, message: str, problems: list[str] | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:  # fmt: skip
    detail = ErrorDetail(code=code, message=message, problems=problems or [])
    return JSONResponse(ErrorBody(error=detail).model_dump(), status_code=status, headers=headers)


async def _grader_error(_request: Request, exc: Exception) -> JSONResponse:
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            headers: dict[str, str] = {}
            if isinstance(exc, AuthenticationError):
                headers["WWW-Authenticate"] = "Bearer"
            if isinstance(exc, LimitExceededError):
                headers["Retry-After"] = str(exc.retry_after)
            problems = exc.problems if isinstance(exc, RubricError) else None
            message = str(exc).split("\n")[0] if problems else str(exc)
            return _body(status, code, message, problems, headers)
    return _body(500, "internal", f"{type(exc).__name__}: {exc}")


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return _body(422, "invalid_input", problems[0] if problems else "invalid request", problems)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}
    return _body(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail),
                 headers=dict(exc.headers or {}))  # fmt: skip


def install_handlers(app: FastAPI) -> None:
    """Answer every error with `ErrorBody`."""
    app.add_exception_handler(GraderError, _grader_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
