"""The coach for the service: a tenant's model answers, policies and exemplars, and suggestions.

All of it lives in the tenant's coach store (chromadb, `settings.coach_store`), the same
store `grader ingest` and `grader suggest` use; this module only picks the tenant's store
and calls the retrieval library.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app._errors import NotFoundError
from grader._errors import GraderError, ImportFormatError
from grader._segments import split_sentences
from grader._settings import Settings
from grader._transcript import Turn

if TYPE_CHECKING:
    from retrieval import (
        Exemplar,
        ExemplarStore,
        IngestReport,
        KnowledgeStore,
        ModelAnswer,
        Policy,
        RecordKind,
        Suggestion,
        Tone,
        UpsertCounts,
    )

__all__ = [
    "add_exemplars",
    "exemplar_store",
    "get_exemplar",
    "get_record",
    "ingest_records",
    "knowledge_store",
    "list_exemplars",
    "make_suggestion",
    "remove_exemplar",
    "stream_suggestion",
    "suggestion_events",
    "upsert_records",
]


def knowledge_store(settings: Settings, tenant_id: str) -> KnowledgeStore:
    """The tenant's model answers and policies."""
    from retrieval import KnowledgeStore

    return KnowledgeStore(settings.coach_store, tenant=tenant_id)


def exemplar_store(settings: Settings, tenant_id: str) -> ExemplarStore:
    """The tenant's human-scored exemplars."""
    from retrieval import EmbeddingCache, ExemplarStore, default_embedding

    # chroma needs its adapter as the store's embedding function (the core encoder is not one)
    cache = EmbeddingCache(settings.cache_dir / "embeddings", default_embedding())
    return ExemplarStore(settings.coach_store, tenant=tenant_id, cache=cache)


def upsert_records(
    store: KnowledgeStore, kind: RecordKind, records: Sequence[ModelAnswer] | Sequence[Policy]
) -> UpsertCounts:
    """Insert or replace records by id."""
    return store.upsert(kind, records)


def get_record(store: KnowledgeStore, kind: RecordKind, record_id: str) -> ModelAnswer | Policy:
    """One record by id (404 when the tenant has none by that id)."""
    from retrieval import ModelAnswer, Policy

    stored = store.stored_json(kind, [record_id])
    if record_id not in stored:
        raise NotFoundError(kind.rstrip("s").replace("_", " "), record_id)
    model = ModelAnswer if kind == "model_answers" else Policy
    return model.model_validate_json(stored[record_id])


def ingest_records(
    store: KnowledgeStore, kind: RecordKind, body: bytes, suffix: str
) -> IngestReport:
    """Validate a JSONL, CSV or YAML file of records and upsert the good ones."""
    from retrieval import ingest_file

    if suffix not in {".jsonl", ".csv", ".yaml", ".yml"}:
        raise ImportFormatError(f"records file {suffix!r}: send .jsonl, .csv or .yaml")
    with tempfile.TemporaryDirectory(prefix="grader-ingest-") as folder:
        path = Path(folder) / f"records{suffix}"
        path.write_bytes(body)
        return ingest_file(store, kind, path)


def add_exemplars(store: ExemplarStore, exemplars: list[Exemplar]) -> int:
    """Insert or replace exemplars by id; how many were written."""
    return store.add(exemplars)


def list_exemplars(store: ExemplarStore, *, limit: int, offset: int) -> tuple[list[str], int]:
    """A page of exemplar ids and the total."""
    ids = store.ids()
    return ids[offset : offset + limit], len(ids)


def get_exemplar(store: ExemplarStore, exemplar_id: str) -> Exemplar:
    """One exemplar (404 when absent)."""
    found = store.get([exemplar_id])
    if exemplar_id not in found:
        raise NotFoundError("exemplar", exemplar_id)
    return found[exemplar_id]


def remove_exemplar(store: ExemplarStore, exemplar_id: str) -> None:
    """Delete one exemplar (404 when absent)."""
    get_exemplar(store, exemplar_id)
    store.remove([exemplar_id])


async def make_suggestion(
    settings: Settings, tenant_id: str, draft: str, context: Sequence[Turn], tone: Tone
) -> Suggestion:
    """A better reply for `draft`, grounded in the tenant's policies and model answers."""
    from retrieval import suggest

    store = knowledge_store(settings, tenant_id)
    return await suggest(draft, context, store, settings.build_llm(), tone)


async def stream_suggestion(
    settings: Settings, tenant_id: str, draft: str, context: Sequence[Turn], tone: Tone
) -> AsyncIterator[str]:
    """The suggested reply sentence by sentence, each one checked, as the model writes it."""
    from retrieval import stream_suggestion as stream

    store = knowledge_store(settings, tenant_id)
    async for chunk in stream(draft, context, store, settings.build_llm(), tone=tone):
        yield chunk


async def suggestion_events(
    settings: Settings, tenant_id: str, draft: str, context: Sequence[Turn], tone: Tone
) -> AsyncIterator[tuple[str, Any]]:
    """(event, data) for a streamed suggestion: `detection`, then `delta`s, then `suggestion`.

    A failure midway is an `error` event (the stream has started; no status can change).
    """
    from retrieval import default_detector

    detection = default_detector()(draft)
    yield "detection", asdict(detection)
    if settings.build_llm().is_local:
        # The embedded model writes no reply worth streaming (measured): the grounded, checked
        # composition is ready in tens of milliseconds, so it is sent sentence by sentence.
        try:
            made = await make_suggestion(settings, tenant_id, draft, context, tone)
        except GraderError as exc:
            yield "error", {"error": {"code": "suggestion_failed", "message": str(exc)}}
            return
        for i, sentence in enumerate(split_sentences(made.reply)):
            yield "delta", {"text": sentence if i == 0 else f" {sentence}"}
        yield "suggestion", made.model_dump(mode="json", exclude={"usage"})
        return
    reply: list[str] = []
    try:
        async for chunk in stream_suggestion(settings, tenant_id, draft, context, tone):
            reply.append(chunk)
            yield "delta", {"text": chunk}
    except GraderError as exc:
        yield "error", {"error": {"code": "suggestion_failed", "message": str(exc)}}
        return
    yield "suggestion", {
        "status": "ok" if reply else "failed", "reply": "".join(reply), "tone": tone,
        "policy_speak": asdict(detection)["spans"],
    }  # fmt: skip
