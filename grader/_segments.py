"""Numbered sentences: evidence is cited by id, so every quote is verbatim by construction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader._transcript import Role, Transcript

__all__ = ["Segment", "segment_transcript", "split_sentences"]

# A sentence ends at . ! ? … (with closing quotes/brackets) followed by space, or at a newline.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\s*\n+\s*")
_MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class Segment:
    """One sentence of one turn: ``T3.2`` is the second sentence of turn 3 (0-based turns)."""

    id: str
    turn_index: int
    role: Role
    text: str


def split_sentences(text: str) -> list[str]:
    """The sentences of one text: THE splitter, shared by the grader and the coach."""
    pieces = [p.strip() for p in _BOUNDARY.split(text)]
    out: list[str] = []
    for piece in pieces:
        # an over-long run without punctuation is cut so one id never spans a whole email
        while len(piece) > _MAX_SENTENCE_CHARS:
            cut = piece.rfind(" ", 0, _MAX_SENTENCE_CHARS)
            cut = cut if cut > 0 else _MAX_SENTENCE_CHARS
            out.append(piece[:cut].strip())
            piece = piece[cut:].strip()
        if piece:
            out.append(piece)
    return out


def segment_transcript(transcript: Transcript) -> list[Segment]:
    """Every sentence of every turn, in order."""
    segments: list[Segment] = []
    for t, turn in enumerate(transcript.turns):
        for s, sentence in enumerate(split_sentences(turn.text), start=1):
            segments.append(Segment(f"T{t}.{s}", t, turn.role, sentence))
    return segments
