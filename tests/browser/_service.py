"""The real API app for the browser tests: a temporary SQLite database, a tenant with a key,
the starter policies and model answers, seeded grades, and a fake streaming LLM.
"""

from __future__ import annotations

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
    """The scripted mock plus litellm's streaming hook: the answer in word chunks."""

    async def astreaming(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict[str, Any]]:
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
    review_key: str
    provider: StreamingFake
    seeded: list[Seeded]
    grade_ids: dict[str, str]  # transcript id -> stored grade id


def build_service(folder: Path) -> Service:
    """Tenant, keys, coach store and grades in `folder`; the app itself is made by the caller."""
    from app._grade_store import record_grade
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
    grade_ids: dict[str, str] = {}
    with database.session() as session:
        key = create_key(session, TENANT, ["coach"], name="sidebar").key
        review_key = create_key(session, TENANT, ["review", "grade"], name="dashboard").key
        for item in seeded:
            record = record_grade(session, TENANT, item.grade, transcript=item.transcript)
            record.created_at = item.graded_at
            grade_ids[item.transcript.id] = record.id
    database.close()
    return Service(settings, key, review_key, provider, seeded, grade_ids)


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
