"""The exemplar store: conversations this team's reviewers scored, in chromadb, per tenant.

A tenant's exemplars live in their own collection (``{tenant}__exemplars``) next to the
coach's, one record per turn: a long conversation keeps all its text instead of losing most
of it to the embedding model's 256-token window. A record's metadata carries the exemplar
id, the turn index, the role, its side (customer or agent) and the human scores as JSON.

Two conversations are compared side by side: the unit mean of the customer's turns with the
other's, the agent side's with the agent side's, averaged over the sides both have
(`dialogue_similarity`). A query first gathers candidates turn by turn from chroma, then
scores them with that function on their stored turn vectors, so the store and the
cross-validation in `evals` (which computes the same function over a whole set in numpy)
agree on who a conversation's neighbours are.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from grader._embedding_cache import EmbeddingCache
from grader._errors import ConfigurationError, InputError
from grader._transcript import AGENT_SIDE, Role, Transcript
from retrieval._embedding import MiniLMEmbedding, default_embedding
from retrieval._store import default_store_dir

__all__ = [
    "SIDES",
    "Exemplar",
    "ExemplarHit",
    "ExemplarStore",
    "ExemplarTurn",
    "dialogue_similarity",
    "side_means",
    "side_of",
    "weighted_scores",
]

SIDES = ("customer", "agent")
_TENANT = r"^[a-z0-9][a-z0-9-]{0,62}$"
_BATCH = 1000


def side_of(role: Role) -> str | None:
    """Which side of the conversation a role speaks for (None: system notes)."""
    if role is Role.CUSTOMER:
        return "customer"
    return "agent" if role in AGENT_SIDE else None


class ExemplarTurn(BaseModel):
    """One turn of an exemplar, as stored."""

    role: Role
    text: str


class Exemplar(BaseModel):
    """A conversation with what people scored it: target name -> mean human score.

    Target names are those of a learned calibration: ``outcome.customer_satisfaction``,
    ``element.courtesy``, ``overall``, ``dimension.timing``.
    """

    id: str = Field(min_length=1, max_length=200)
    turns: list[ExemplarTurn] = Field(min_length=1)
    human: dict[str, float] = Field(default_factory=dict)
    source: str = Field("", description="Where the scores came from: a set, a dispute, a file.")

    @classmethod
    def of(cls, transcript: Transcript, human: Mapping[str, float], source: str = "") -> Exemplar:
        """An exemplar from a transcript and its human scores."""
        turns = [ExemplarTurn(role=t.role, text=t.text) for t in transcript.turns]
        return cls(id=transcript.id, turns=turns, human=dict(human), source=source)


@dataclass(frozen=True)
class ExemplarHit:
    """A scored conversation near the query, with its similarity (1 = same direction)."""

    exemplar: Exemplar
    similarity: float


def side_means(
    vectors: NDArray[np.float32], sides: Sequence[str | None]
) -> dict[str, NDArray[np.float32]]:
    """Unit-length mean of each side's turn vectors (sides without turns are absent)."""
    out: dict[str, NDArray[np.float32]] = {}
    for side in SIDES:
        rows = [i for i, s in enumerate(sides) if s == side]
        if rows:
            mean = vectors[rows].mean(axis=0)
            out[side] = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
    return out


def dialogue_similarity(
    a: Mapping[str, NDArray[np.float32]], b: Mapping[str, NDArray[np.float32]]
) -> float:
    """Mean over the sides both conversations have of the cosine of their side means."""
    shared = [s for s in SIDES if s in a and s in b]
    if not shared:
        return 0.0
    return float(np.mean([float(np.dot(a[s], b[s])) for s in shared]))


def weighted_scores(
    hits: Sequence[tuple[float, Mapping[str, float]]], target: str, power: float
) -> float | None:
    """Similarity-weighted mean of the neighbours' `target` scores (weights sim**power).

    Neighbours without that score are skipped; None when none has it.
    """
    pairs = [(max(sim, 0.0) ** power + 1e-9, h[target]) for sim, h in hits if target in h]
    if not pairs:
        return None
    weights = np.array([w for w, _ in pairs])
    return float(np.dot(weights, [v for _, v in pairs]) / weights.sum())


def _where(*terms: dict[str, Any]) -> dict[str, Any] | None:
    kept = [t for t in terms if t]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else {"$and": kept}


def _excluding(ids: Collection[str]) -> dict[str, Any]:
    return {"exemplar_id": {"$nin": sorted(ids)}} if ids else {}


class ExemplarStore:
    """One tenant's scored conversations in a chroma directory (the coach store's by default)."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        tenant: str = "default",
        embedding: MiniLMEmbedding | None = None,
        cache: EmbeddingCache | None = None,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if not re.fullmatch(_TENANT, tenant):
            raise ConfigurationError(f"tenant '{tenant}': use lowercase letters, digits and '-'")
        self.path = Path(path) if path is not None else default_store_dir()
        self.tenant = tenant
        # chroma needs its own embedding-function type; the cache may hold the bare core encoder
        chroma_embedding = embedding or default_embedding()
        self.cache = cache or EmbeddingCache(None, chroma_embedding)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(f"cannot create store directory {self.path}: {exc}") from exc
        client = chromadb.PersistentClient(
            path=str(self.path),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        self._collection = client.get_or_create_collection(
            f"{tenant}__exemplars",
            embedding_function=chroma_embedding,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def turn_vectors(self, turns: Sequence[ExemplarTurn] | Transcript) -> NDArray[np.float32]:
        """Unit vectors of each turn (from the embedding cache when seen before)."""
        items = turns.turns if isinstance(turns, Transcript) else turns
        return self.cache.embed([t.text for t in items])

    def add(
        self, exemplars: Sequence[Exemplar], vectors: Sequence[NDArray[np.float32]] | None = None
    ) -> int:
        """Insert or replace exemplars by id (all their turns); returns how many were written."""
        if not exemplars:
            return 0
        counts = Counter(e.id for e in exemplars)
        twice = sorted(i for i, n in counts.items() if n > 1)
        if twice:
            raise InputError(f"exemplar ids must be unique; repeated: {', '.join(twice[:5])}")
        where: dict[str, Any] = {"exemplar_id": {"$in": [e.id for e in exemplars]}}
        self._collection.delete(where=where)
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        embeddings: list[NDArray[np.float32]] = []
        for n, exemplar in enumerate(exemplars):
            vecs = vectors[n] if vectors is not None else self.turn_vectors(exemplar.turns)
            human = json.dumps(exemplar.human, sort_keys=True)
            for i, turn in enumerate(exemplar.turns):
                ids.append(f"{exemplar.id}#{i}")
                docs.append(turn.text)
                metas.append(
                    {
                        "exemplar_id": exemplar.id,
                        "turn_index": i,
                        "role": turn.role.value,
                        "side": side_of(turn.role) or "none",
                        "human": human,
                        "source": exemplar.source,
                    }
                )
                embeddings.append(vecs[i])
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self._collection.add(
                ids=ids[start:end],
                documents=docs[start:end],
                metadatas=metas[start:end],  # type: ignore[arg-type]
                embeddings=embeddings[start:end],  # type: ignore[arg-type]
            )
        return len(exemplars)

    def remove(self, ids: Collection[str]) -> None:
        """Delete exemplars (every turn of each) by id."""
        if ids:
            where: dict[str, Any] = {"exemplar_id": {"$in": sorted(ids)}}
            self._collection.delete(where=where)

    def _records(
        self, where: dict[str, Any] | None
    ) -> dict[str, tuple[Exemplar, NDArray[np.float32]]]:
        got = self._collection.get(where=where, include=["metadatas", "documents", "embeddings"])
        rows: dict[str, list[tuple[int, dict[str, Any], str, Any]]] = {}
        metas, docs, vecs = got["metadatas"] or [], got["documents"] or [], got["embeddings"]
        for meta, doc, vec in zip(metas, docs, vecs if vecs is not None else [], strict=True):
            rows.setdefault(str(meta["exemplar_id"]), []).append(
                (int(str(meta["turn_index"])), dict(meta), doc, vec)
            )
        out = {}
        for eid, parts in rows.items():
            parts.sort(key=lambda p: p[0])
            first = parts[0][1]
            exemplar = Exemplar(
                id=eid,
                turns=[ExemplarTurn(role=Role(str(m["role"])), text=d) for _, m, d, _ in parts],
                human=json.loads(str(first["human"])),
                source=str(first.get("source", "")),
            )
            out[eid] = (exemplar, np.asarray([v for *_, v in parts], dtype=np.float32))
        return out

    def ids(self) -> list[str]:
        """Every exemplar id, sorted."""
        got = self._collection.get(include=["metadatas"])
        return sorted({str(m["exemplar_id"]) for m in got["metadatas"] or []})

    def count(self) -> int:
        """How many exemplars the tenant has."""
        return len(self.ids())

    def get(self, ids: Collection[str]) -> dict[str, Exemplar]:
        """The stored exemplars with these ids (missing ids are absent)."""
        if not ids:
            return {}
        found = self._records({"exemplar_id": {"$in": sorted(ids)}})
        return {eid: exemplar for eid, (exemplar, _) in found.items()}

    def nearest(
        self, query: Transcript | Exemplar, k: int = 5, *, exclude: Collection[str] = ()
    ) -> list[ExemplarHit]:
        """The `k` most similar exemplars, never the query itself nor any id in `exclude`."""
        total = self._collection.count()
        if k <= 0 or total == 0:
            return []
        skip = {*exclude, query.id}
        turns = query.turns
        vectors = self.turn_vectors(query if isinstance(query, Transcript) else query.turns)
        sides = [side_of(t.role) for t in turns]
        mine = side_means(vectors, sides)
        candidates: set[str] = set()
        probes = [(vectors[i], s) for i, s in enumerate(sides) if s is not None]
        probes += [(vec, side) for side, vec in mine.items()]
        for vec, side in probes:
            result = self._collection.query(
                query_embeddings=[vec],
                n_results=min(total, 4 * k + 10),
                where=_where({"side": side}, _excluding(skip)),
                include=["metadatas"],
            )
            candidates |= {str(m["exemplar_id"]) for m in (result["metadatas"] or [[]])[0]}
        candidates -= skip
        if not candidates:
            return []
        found = self._records({"exemplar_id": {"$in": sorted(candidates)}})
        hits = []
        for exemplar, vecs in found.values():
            theirs = side_means(vecs, [side_of(t.role) for t in exemplar.turns])
            hits.append(ExemplarHit(exemplar, dialogue_similarity(mine, theirs)))
        hits.sort(key=lambda h: (-h.similarity, h.exemplar.id))
        return hits[:k]
