"""The knowledge base: model answers and policies in chromadb, persistent on disk.

Each tenant gets its own pair of collections (``{tenant}__model_answers`` and
``{tenant}__policies``), so one store directory can serve several teams without their
answers mixing. Vectors come from `MiniLMEmbedding` (offline); callers that already hold
a query vector pass it in, so one request embeds its text once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from grader._errors import ConfigurationError
from retrieval._embedding import MiniLMEmbedding, default_embedding
from retrieval._records import ModelAnswer, Policy

__all__ = ["Hit", "KnowledgeStore", "RecordKind", "UpsertCounts", "default_store_dir"]

R = TypeVar("R", ModelAnswer, Policy)
RecordKind = Literal["model_answers", "policies"]
Query = str | NDArray[np.float32]

_TENANT = r"^[a-z0-9][a-z0-9-]{0,62}$"
_UPSERT_BATCH = 1000
#: Ids asked of chroma per `get` (its SQLite caps the variables of one query).
_GET_BATCH = 5000


def default_store_dir() -> Path:
    """`GRADER_STORE_DIR`, else ``~/.local/share/interaction-grader/store``."""
    env = os.environ.get("GRADER_STORE_DIR")
    return Path(env) if env else Path.home() / ".local" / "share" / "interaction-grader" / "store"


@dataclass(frozen=True)
class Hit(Generic[R]):
    """A retrieved record and its cosine similarity to the query (1 = same direction)."""

    record: R
    similarity: float


@dataclass(frozen=True)
class UpsertCounts:
    """What an upsert changed: new ids, changed records, records already stored as they are."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


def _where(**equals: str | None) -> dict[str, Any] | None:
    """A chroma metadata filter requiring every given field to equal its value."""
    terms = [{key: value} for key, value in equals.items() if value]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"$and": terms}


class KnowledgeStore:
    """Model answers and policies of one tenant, in a chroma directory."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        tenant: str = "default",
        embedding: MiniLMEmbedding | None = None,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if not re.fullmatch(_TENANT, tenant):
            raise ConfigurationError(f"tenant '{tenant}': use lowercase letters, digits and '-'")
        self.path = Path(path) if path is not None else default_store_dir()
        self.tenant = tenant
        self.embedding = embedding or default_embedding()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(f"cannot create store directory {self.path}: {exc}") from exc
        self._client = chromadb.PersistentClient(
            path=str(self.path),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        self._collections = {
            kind: self._client.get_or_create_collection(
                f"{tenant}__{kind}",
                embedding_function=self.embedding,
                configuration={"hnsw": {"space": "cosine"}},
            )
            for kind in ("model_answers", "policies")
        }

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit vectors for `texts` (the store's embedding)."""
        return self.embedding.embed(list(texts))

    def count(self, kind: RecordKind) -> int:
        """How many records of `kind` the tenant has."""
        return int(self._collections[kind].count())

    def stored_json(self, kind: RecordKind, ids: Sequence[str]) -> dict[str, str]:
        """Id -> canonical record JSON, for the ids that exist.

        Asked in batches: chroma's SQLite refuses a query with more variables than it allows
        (a 100,000-answer upload asked in one call failed with "too many SQL variables").
        """
        out: dict[str, str] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), _GET_BATCH):
            got = self._collections[kind].get(
                ids=wanted[start : start + _GET_BATCH], include=["metadatas"]
            )
            out.update(
                (i, str(m["record"]))
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            )
        return out

    def upsert(
        self,
        kind: RecordKind,
        records: Sequence[ModelAnswer] | Sequence[Policy],
        vectors: NDArray[np.float32] | None = None,
    ) -> UpsertCounts:
        """Insert or replace records by id; unchanged records are not embedded again."""
        stored = self.stored_json(kind, [r.id for r in records])
        changed = [i for i, r in enumerate(records) if stored.get(r.id) != r.record_json()]
        if changed:
            todo = [records[i] for i in changed]
            vecs = (
                vectors[changed]
                if vectors is not None
                else self.embed([r.document() for r in todo])
            )
            collection = self._collections[kind]
            for start in range(0, len(todo), _UPSERT_BATCH):
                batch = todo[start : start + _UPSERT_BATCH]
                collection.upsert(
                    ids=[r.id for r in batch],
                    documents=[r.document() for r in batch],
                    metadatas=[r.metadata() for r in batch],
                    embeddings=vecs[start : start + _UPSERT_BATCH].tolist(),
                )
        updated = sum(records[i].id in stored for i in changed)
        return UpsertCounts(
            added=len(changed) - updated, updated=updated, unchanged=len(records) - len(changed)
        )

    def _vector(self, query: Query) -> NDArray[np.float32]:
        return self.embed([query])[0] if isinstance(query, str) else query

    def _query(
        self, kind: RecordKind, query: Query, k: int, where: dict[str, Any] | None
    ) -> list[tuple[dict[str, Any], float]]:
        collection = self._collections[kind]
        if k <= 0 or collection.count() == 0:
            return []
        result = collection.query(
            query_embeddings=[self._vector(query).tolist()],
            n_results=k,
            where=where,
            include=["metadatas", "distances"],
        )
        metadatas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        return [
            (json.loads(str(m["record"])), 1.0 - float(d))
            for m, d in zip(metadatas, distances, strict=True)
        ]

    def search_answers(
        self,
        query: Query,
        k: int = 3,
        *,
        scenario: str | None = None,
        inquiry_type: str | None = None,
        policy_topic: str | None = None,
    ) -> list[Hit[ModelAnswer]]:
        """The `k` model answers nearest `query`, optionally only those matching the filters."""
        where = _where(scenario=scenario, inquiry_type=inquiry_type, policy_topic=policy_topic)
        # validated on the way in: rebuilt without re-running the validators
        return [
            Hit(ModelAnswer.model_construct(**data), sim)
            for data, sim in self._query("model_answers", query, k, where)
        ]

    def search_policies(
        self, query: Query, k: int = 2, *, topic: str | None = None
    ) -> list[Hit[Policy]]:
        """The `k` policies nearest `query`, optionally only one topic."""
        return [
            Hit(Policy.model_construct(**data), sim)
            for data, sim in self._query("policies", query, k, _where(policy_topic=topic))
        ]

    def vectors(self, kind: RecordKind, ids: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """Id -> stored vector, for the ids that exist (to copy or inspect, not to search)."""
        if not ids:
            return {}
        got = self._collections[kind].get(ids=list(ids), include=["embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], embeddings, strict=True)
        }

    def neighbours(
        self, kind: RecordKind, vectors: NDArray[np.float32], k: int = 2
    ) -> list[list[tuple[str, float]]]:
        """For each vector, the ids and similarities of its `k` nearest stored records."""
        collection = self._collections[kind]
        if len(vectors) == 0 or collection.count() == 0:
            return [[] for _ in vectors]
        result = collection.query(
            query_embeddings=vectors.tolist(), n_results=k, include=["distances"]
        )
        return [
            [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], result["distances"] or [], strict=True)
        ]
