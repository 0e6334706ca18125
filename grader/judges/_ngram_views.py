"""The n-gram views a learned scorer reads: tokens, marked sentence starts, edge sentences.

Fit time and judge time tokenise the same way, so these live in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

__all__ = ["SENTENCE_START", "TOKEN_PATTERN", "EdgeView", "edge_sentences", "mark_sentence_starts"]

#: Word and punctuation tokens of the n-gram view (the same at fit and at judge time).
TOKEN_PATTERN = r"(?u)\b\w+\b|[?!]"
#: A token put before every sentence, so the n-grams tell "Please send..." (an order) from
#: "...could you please send" and "Why..." opening a sentence from one inside it.
SENTENCE_START = "xxstart"


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """The one splitter's sentences of `text`, split once for the start marks and both edges."""
    from grader._segments import split_sentences

    return tuple(split_sentences(text) or [text])


def mark_sentence_starts(text: str) -> str:
    """The text with `SENTENCE_START` before each of its sentences (the one splitter's)."""
    return " ".join(f"{SENTENCE_START} {s}" for s in _sentences(text))


def edge_sentences(texts: Sequence[str], position: Literal["first", "last"]) -> list[str]:
    """Each text's first or last sentence (the one splitter's): where openings and closings sit."""
    pick = 0 if position == "first" else -1
    return [_sentences(t)[pick] for t in texts]


class EdgeView(BaseModel):
    """A word n-gram view of one sentence position: a greeting opens, thanks or a plea closes."""

    position: Literal["first", "last"]
    weight: float
    vocabulary: dict[str, int]
    idf: list[float]

    @cached_property
    def _vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            vocabulary=self.vocabulary, ngram_range=(1, 2), sublinear_tf=True,
            token_pattern=TOKEN_PATTERN,
        )  # fmt: skip
        vec.idf_ = np.array(self.idf)
        return vec

    def transform(self, texts: Sequence[str]) -> Any:
        """The weighted n-gram rows of each text's sentence at this position."""
        return self.weight * self._vectorizer.transform(edge_sentences(texts, self.position))
