"""Suggestions for the helpdesk sidebar: one JSON answer, or server-sent events as it is written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api._deps import CoachCaller, SettingsDep
from api._errors import AUTH, responses
from api._schemas import SuggestionCreate
from app import _coach as coach
from retrieval import Suggestion

router = APIRouter(prefix="/suggestions", tags=["suggestions"])

_SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events: `detection` (policy-speak in the draft), `delta` "
        "(`{text}` as written), then `suggestion` (the whole reply) or `error`.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.post("", responses=responses(*AUTH, 422))
async def suggest(body: SuggestionCreate, caller: CoachCaller, settings: SettingsDep) -> Suggestion:
    """A better reply for the draft, grounded in the tenant's policies and model answers."""
    return await coach.make_suggestion(
        settings, caller.tenant_id, body.draft, body.context, body.tone
    )


@router.post(
    "/stream", response_class=StreamingResponse, responses={**_SSE_DOC, **responses(*AUTH, 422)}
)
async def stream_suggestion(
    body: SuggestionCreate, caller: CoachCaller, settings: SettingsDep
) -> StreamingResponse:
    """The same suggestion as server-sent events, sentence by sentence."""

    async def events() -> AsyncIterator[str]:
        async for event, data in coach.suggestion_events(
            settings, caller.tenant_id, body.draft, body.context, body.tone
        ):
            yield f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
