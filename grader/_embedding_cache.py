"""Sentence vectors kept on disk, keyed by a hash of the text, so a text is embedded once.

Fitting and cross-validating a calibration embeds every turn of every scored conversation
(thousands of texts, minutes on two cores); grading embeds a transcript's turns again. The
cache stores vectors in `.npz` shards (no pickle) under one folder per embedding model, and
writes each batch of new vectors as a new shard via a temporary file and a rename, so two
processes sharing the folder never see half a shard. Shards are merged when they pile up.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from grader._embedding import EMBEDDING_DIM, SentenceEncoder, default_encoder

__all__ = ["EmbeddingCache", "text_key"]

#: Merge the shards into one when there are more than this many.
MAX_SHARDS = 32


def text_key(text: str, model: str) -> str:
    """The cache key of one text under one embedding model."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


class EmbeddingCache:
    """`embed(texts)` like `MiniLMEmbedding`, answering repeated texts from disk.

    With `directory=None` it caches in memory only (tests, one-off runs).
    """

    def __init__(
        self, directory: Path | None = None, embedding: SentenceEncoder | None = None
    ) -> None:
        self.embedding: SentenceEncoder = embedding or default_encoder()
        model = self.embedding.name()
        self.directory = directory / model if directory is not None else None
        self._model = model
        self._vectors: dict[str, NDArray[np.float32]] = {}
        self._loaded: set[str] = set()
        self._lock = threading.Lock()

    def _shards(self) -> list[Path]:
        if self.directory is None or not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.npz"))

    def _load(self) -> None:
        for shard in self._shards():
            if shard.name in self._loaded:
                continue
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, KeyError, ValueError):
                continue  # merged away by another process, or not ours
            for key, vector in zip(keys.tolist(), vectors, strict=True):
                self._vectors[str(key)] = vector
            self._loaded.add(shard.name)

    def _write(self, keys: list[str], vectors: NDArray[np.float32]) -> None:
        if self.directory is None or not keys:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256("".join(keys).encode()).hexdigest()[:16] + ".npz"
        self._atomic_save(self.directory / name, keys, vectors)
        self._loaded.add(name)
        shards = self._shards()
        if len(shards) > MAX_SHARDS:
            self._compact(shards)

    def _atomic_save(self, path: Path, keys: list[str], vectors: NDArray[np.float32]) -> None:
        assert self.directory is not None
        handle, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(handle)
        with open(temp, "wb") as out:
            np.savez(out, keys=np.array(keys, dtype="<U32"), vectors=vectors.astype(np.float32))
        os.replace(temp, path)

    def _compact(self, shards: list[Path]) -> None:
        """Merge every shard but the largest into one, so the big one is not rewritten often."""
        assert self.directory is not None
        keep = max(shards, key=lambda p: p.stat().st_size if p.exists() else 0)
        keys: list[str] = []
        parts: list[NDArray[np.float32]] = []
        for shard in shards:
            if shard == keep:
                continue
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys += [str(k) for k in data["keys"].tolist()]
                    parts.append(data["vectors"])
            except (OSError, KeyError, ValueError):
                continue
        if not parts:
            return
        name = "merged-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:16] + ".npz"
        self._atomic_save(self.directory / name, keys, np.concatenate(parts))
        for shard in shards:
            if shard not in (keep, self.directory / name):
                shard.unlink(missing_ok=True)
        self._loaded.add(name)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit vectors for `texts`, shape (n, 384); only texts never seen are embedded."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t, self._model) for t in texts]
        with self._lock:
            if any(k not in self._vectors for k in keys):
                self._load()
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
            if missing:
                first = {k: t for k, t in zip(keys, texts, strict=True)}
                fresh = self.embedding.embed([first[k] for k in missing])
                for key, vector in zip(missing, fresh, strict=True):
                    self._vectors[key] = vector
                self._write(missing, fresh)
            for i, key in enumerate(keys):
                out[i] = self._vectors[key]
        return out
