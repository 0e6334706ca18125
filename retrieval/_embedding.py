"""The core's MiniLM encoder as a chroma embedding function.

Chroma's default embedding function downloads its model on first use, which fails offline; this
one hands chroma the vectors of `grader._embedding.MiniLMEncoder` (the same model the judges and
the detector use, loaded once per process when the thread count is the default).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from chromadb.api.types import Embeddable, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function
from numpy.typing import NDArray

from grader._embedding import EMBEDDING_DIM, MAX_TOKENS, MiniLMEncoder, default_encoder

__all__ = ["EMBEDDING_DIM", "MiniLMEmbedding", "default_embedding"]


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Embeddable]):
    """all-MiniLM-L6-v2 run with onnxruntime; 384-dimensional unit vectors (text only)."""

    def __init__(self, threads: int = 1) -> None:
        # One thread by default: on a small shared machine a second one mostly waits for the
        # first (measured 2x slower per query under load); ingest can ask for more.
        self.threads = max(1, threads)
        self._encoder = default_encoder() if self.threads == 1 else MiniLMEncoder(self.threads)

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """Unit vectors for `texts`, shape (n, 384)."""
        return self._encoder.embed(texts)

    def __call__(self, input: Embeddable) -> Embeddings:
        """Chroma's entry point (typed like chroma's collections expect; images are refused)."""
        texts = [item for item in input if isinstance(item, str)]
        if len(texts) != len(input):
            raise ValueError("MiniLMEmbedding embeds text only")
        return list(self.embed(texts))

    @staticmethod
    def name() -> str:
        """The name chroma stores in a collection's configuration."""
        return "interaction-grader-minilm-onnx"

    def get_config(self) -> dict[str, Any]:
        """Serialisable settings (chroma persists them with the collection)."""
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        """Rebuild from a persisted configuration (chroma calls this on `get_collection`)."""
        return MiniLMEmbedding(threads=int(config.get("threads") or 1))

    def default_space(self) -> Any:
        """Unit vectors: cosine."""
        return "cosine"

    def supported_spaces(self) -> list[Any]:
        """Spaces the vectors make sense in."""
        return ["cosine", "ip", "l2"]

    def max_tokens(self) -> int:
        """Longer texts are truncated."""
        return MAX_TOKENS


@lru_cache(maxsize=1)
def default_embedding() -> MiniLMEmbedding:
    """One shared instance per process, so the model loads once."""
    return MiniLMEmbedding()
