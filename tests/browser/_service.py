"""The real API app for the browser tests: a temporary SQLite database, a tenant with a key,
the starter policies and model answers, seeded grades, and a fake streaming LLM.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from _seed import Seeded, seeded_grades

from grader._settings import Settings
from grader.model import MockLLM
from grader.model._llm import register_provider
from grader.model._script import FakeRequest

TENANT = "acme"
#: Who may frame the sidebar: the helpdesk stand-ins are served on localhost (any port);
#: a page on 127.0.0.1 is a stranger the browser must refuse.
HELPDESKS = "http://localhost:*"
MODEL = "pagesfake/coach"

#: The fake model's suggestion: every sentence backed by the refund policy (store credit).
REPLY = (
    "I'm sorry the jacket didn't work out for you. "
    "Refunds are limited to 30 days of delivery so we can sell returned items again as new. "
    "I can offer you store credit for the full purchase price instead. "
    "Would you like me to set that up?"
)
CUSTOMER = "Hi, I'd like to return a jacket I bought 45 days ago, it doesn't fit."
CURT = "Sorry, that's our policy. Returns are 30 days only."


def _answer(request: FakeRequest) -> Any:
    """Rewrites (asked for JSON with a `text` field) get the original, shortened; else REPLY."""
    properties = (request.schema or {}).get("properties", {})
    if "text" in properties:
        prompt = request.messages[-1]["content"]
        original = REPLY if "store credit" in prompt else prompt
        return {"text": original.replace(" for the full purchase price", "")}
    return REPLY


class StreamingFake(MockLLM):
    """The scripted mock plus litellm's streaming hook: the answer in word chunks.

    `delay` (seconds before the first chunk) plays a slow model.
    """

    delay: float = 0.0

    async def astreaming(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict[str, Any]]:
        await asyncio.sleep(self.delay)
        text = self.respond(model, messages, optional_params or {}).choices[0].message.content
        words = text.split(" ")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            yield {
                "text": word + ("" if last else " "),
                "is_finished": last,
                "finish_reason": "stop" if last else "",
                "usage": None,
                "index": 0,
                "tool_use": None,
            }


@dataclass
class Service:
    """What the tests need to drive and check the running app."""

    settings: Settings
    key: str
    lead_key: str
    provider: StreamingFake
    seeded: list[Seeded]
    grade_ids: dict[str, str]  # transcript id -> grade key (job:index)


def build_service(folder: Path) -> Service:
    """Tenant, keys, coach store and grades in `folder`; the app itself is made by the caller."""
    from app._tenancy import create_key
    from app.storage import open_database, upgrade
    from retrieval import KnowledgeStore, ingest_file

    settings = Settings(
        model=MODEL,
        data_dir=folder,
        cache_dir=folder / "cache",
        store_dir=folder / "store",
        database_url=f"sqlite:///{folder / 'grader.db'}",
        use_cache=False,
        rate_limit_per_minute=10_000,
        sidebar_frame_ancestors=[HELPDESKS],
    )
    provider = StreamingFake(_answer)
    register_provider(MODEL.split("/")[0], provider)
    store = KnowledgeStore(settings.coach_store, tenant=TENANT)
    data = Path(str(resources.files("retrieval").joinpath("data")))
    ingest_file(store, "policies", data / "policies.yaml")
    ingest_file(store, "model_answers", data / "model_answers.yaml")
    database = open_database(settings.database)
    upgrade(database.engine)
    seeded = seeded_grades()
    with database.session() as session:
        key = create_key(session, TENANT, ["coach"], name="sidebar").key
        lead_key = create_key(session, TENANT, ["review", "admin"], name="qa-lead").key
        grade_ids = _store_as_finished_job(session, seeded)
        first_curt = next(s for s in seeded if s.grade.overall is not None and s.grade.overall < 40)
        from app import qa

        qa.raise_dispute(
            session, TENANT, grade_ids[first_curt.transcript.id], reason="I explained the rule.",
            raised_by="Ben", element_ids=["empathy"], proposed={"empathy": 2},
        )  # fmt: skip
        _store_calibration_run(session)
    database.close()
    return Service(settings, key, lead_key, provider, seeded, grade_ids)


def _store_as_finished_job(session: Any, seeded: list[Seeded]) -> dict[str, str]:
    """The grades as a bulk job that finished: how a QA team's grades arrive, transcripts kept."""
    from app.jobs._tables import Job, JobItem, JobResult

    job = Job(
        id="job_seed", tenant_id=TENANT, status="done", body_sha256="0" * 64, format="jsonl",
        model="seed", total=len(seeded), created_at=seeded[0].graded_at,
    )  # fmt: skip
    session.add(job)
    session.flush()
    ids = {}
    for index, item in enumerate(seeded):
        session.add(
            JobItem(
                job_id=job.id, item_index=index, tenant_id=TENANT,
                transcript_id=item.transcript.id, status="done",
                payload=item.transcript.model_dump_json(), updated_at=item.graded_at,
            )
        )  # fmt: skip
        session.add(
            JobResult(
                job_id=job.id, item_index=index, tenant_id=TENANT,
                transcript_id=item.transcript.id, status=item.grade.status,
                overall=item.grade.overall, model="seed", prompt_version="seed",
                rubric_version=item.grade.rubric_version, grade=item.grade.model_dump(mode="json"),
                created_at=item.graded_at, updated_at=item.graded_at,
            )
        )  # fmt: skip
        ids[item.transcript.id] = f"{job.id}:{index}"
    session.flush()
    return ids


#: A finished calibration run as `execute_run` stores it (one set, one target).
CALIBRATION = {
    "seeded-gold": {
        "folds": 5, "seed": 0, "items": 40, "graded": 40, "ids": [], "test_ids": [],
        "targets": [
            {
                "target": "overall", "items": 40,
                "baseline": {"value": 0.31, "low": 0.02, "high": 0.55, "n": 40},
                "calibrated": {"value": 0.62, "low": 0.41, "high": 0.78, "n": 40},
                "gain": {"value": 0.31, "low": 0.12, "high": 0.5, "n": 40},
                "raw": {"value": 0.48, "low": 0.2, "high": 0.68, "n": 40},
                "split_half": {"value": 0.7, "low": 0.55, "high": 0.82, "n": 40},
            }
        ],
    }
}  # fmt: skip


def _store_calibration_run(session: Any) -> None:
    from datetime import UTC, datetime

    from app.storage import CalibrationRunRecord, CalibrationSetRecord

    cset = CalibrationSetRecord(
        id="cset_seed", tenant_id=TENANT, name="seeded-gold", item_count=40, items=[]
    )
    session.add(cset)
    session.flush()
    session.add(
        CalibrationRunRecord(
            id="crun_seed", tenant_id=TENANT, set_id=cset.id, status="done", folds=5,
            result=CALIBRATION, finished_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        )
    )  # fmt: skip


def chatwoot_context(*, with_agent: bool = True) -> dict[str, Any]:
    """An appContext as Chatwoot sends it: a conversation with messages of every type."""
    conversation = {
        "id": 4821,
        "inbox_id": 3,
        "status": "open",
        "meta": {
            "sender": {"id": 9001, "name": "Sam Whitaker", "type": "contact"},
            "assignee": {"id": 12, "name": "Jane Rivera", "type": "user"},
            "channel": "Channel::WebWidget",
        },
        "messages": [
            _message(1, 3, "Hi! I'm Trailbot. What can I help with?", 1715000000, "AgentBot", 1),
            _message(2, 0, CUSTOMER, 1715000030, "Contact", 9001),
            _message(3, 2, "Assigned to Jane Rivera by Trailbot", 1715000036, None, None),
            _message(4, 1, "Customer bought 45 days ago; check the order.", 1715000050, "User", 12)
            | {"private": True},
            _message(5, 1, CURT, 1715000090, "User", 12),
        ],
    }
    context: dict[str, Any] = {
        "conversation": conversation,
        "contact": {"id": 9001, "name": "Sam Whitaker", "email": "sam@example.com"},
    }
    if with_agent:
        context["currentAgent"] = {"id": 12, "name": "Jane Rivera", "email": "jane@example.com"}
    return context


def _message(
    mid: int, kind: int, content: str, at: int, sender_type: str | None, sender_id: int | None
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": mid,
        "content": content,
        "message_type": kind,
        "content_type": "text",
        "created_at": at,
        "private": False,
        "conversation_id": 4821,
    }
    if sender_type:
        kinds = {"AgentBot": "agent_bot", "Contact": "contact", "User": "user"}
        message["sender_type"] = sender_type
        message["sender"] = {"id": sender_id, "name": "x", "type": kinds[sender_type]}
    return message
