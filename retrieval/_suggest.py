"""Suggest: turn a curt draft into a reply that acknowledges, explains, offers and says what next.

Composition, on the embedded default with no model call: prepare (detect, retrieve, ground)
→ compose the reply from the top model answer's structure and the matching policy's reason
and alternatives, adapted to this conversation's facts (`_compose`, `_case`) → the checks
(`_checks`): grounded, said once, backed, and judged better than the draft by the grader's
own judges, or it is not offered and the reasons are returned.

With a capable model (any model but the embedded `local` one), the model rewrites that
grounded draft into a response model whose validators hold the same business rules
(instructor re-asks with the problem in hand); its answer passes the same checks, or the
grounded draft is shown instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, model_validator

from grader._errors import InvalidAnswerError
from grader.model import LLM, Usage
from retrieval._checks import ReplyChecks
from retrieval._commitments import Backing, grounding_problems, sanitize
from retrieval._detector import (
    PolicySpeakSpan,
    curt_phrases,
    sentence_spans,
)
from retrieval._prompting import prompt_version
from retrieval._records import Tone
from retrieval._request import CoachRequest

__all__ = [
    "BackedCommitment",
    "Suggestion",
    "SuggestionAnswer",
    "SuggestionParts",
    "clean_reply",
    "cleaned_parts",
    "collapse_loops",
    "generate_answer",
    "suggestion_model",
]

PARTS = ("acknowledgement", "reason", "alternatives", "next_step")
#: The order the parts are said in: what can be done comes before the reason for the limit.
REPLY_ORDER = ("acknowledgement", "alternatives", "reason", "next_step")
#: Longest text per part, by tone; a bounded schema keeps a small model from looping.
_PART_CHARS: dict[str, dict[str, int]] = {
    "friendly": {"acknowledgement": 200, "reason": 300, "alternatives": 300, "next_step": 200},
    "professional": {"acknowledgement": 200, "reason": 300, "alternatives": 300, "next_step": 200},
    "concise": {"acknowledgement": 120, "reason": 160, "alternatives": 160, "next_step": 120},
}
NOTE_CHARS = 300
MAX_CITED = 4


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?" else f"{text}."


_LOOP = re.compile(r"(?i)\b((?:\S+\s+){1,8}?)(?:\1){2,}")


def collapse_loops(text: str) -> str:
    """`text` with a run of words said three or more times in a row said once.

    Small models fall into loops ("the reason is that the reason is that ..."); a loop is
    never what the agent should send.
    """
    return _LOOP.sub(r"\1", f"{text} ").strip()


def _once(sentences: Sequence[str]) -> str:
    """The sentences joined, each said once (small models repeat themselves)."""
    seen: set[str] = set()
    kept = []
    for sentence in sentences:
        key = " ".join(sentence.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(sentence)
    return " ".join(kept)


class SuggestionParts(BaseModel):
    """The four parts of a well-framed reply."""

    acknowledgement: str
    reason: str
    alternatives: str
    next_step: str

    def sentences(self) -> list[str]:
        """Every sentence of the parts, in order, as written (repeats included)."""
        text = " ".join(
            _sentence(getattr(self, p)) for p in REPLY_ORDER if getattr(self, p).strip()
        )
        return [text[a:b] for a, b in sentence_spans(text)]

    def reply(self) -> str:
        """The parts joined into one reply; a sentence said twice is kept once."""
        return _once(self.sentences())


class SuggestionAnswer(SuggestionParts):
    """What the model answers (specialised per request by `suggestion_model`)."""

    model_config = ConfigDict(extra="forbid")

    cited_ids: list[str]
    coaching_note: str

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> SuggestionAnswer:
        """Cited ids exist; in strict mode, no policy-speak, unbacked promise or invented fact."""
        ctx = info.context or {}
        known = ctx.get("source_ids")
        if known is not None and (unknown := [i for i in self.cited_ids if i not in known]):
            raise ValueError(f"cited_ids must be among {sorted(known)}; unknown: {unknown}")
        missing = [p for p in PARTS if not getattr(self, p).strip()]
        if missing:
            raise ValueError(f"every part needs text; empty: {missing}")
        backing = ctx.get("backing")
        if ctx.get("strict") and isinstance(backing, Backing):
            reply = self.reply()
            problems = [
                f"curt policy-speak '{p}': explain the reason instead" for p in curt_phrases(reply)
            ]
            if len(reply) < len(" ".join(self.sentences())):
                problems.append("a sentence is repeated: each part must say something different")
            if collapse_loops(reply) != reply:
                problems.append("words repeat in a loop: say each thing once")
            problems += grounding_problems(reply, backing)
            if problems:
                raise ValueError(
                    "; ".join(problems) + ". Promise only what the POLICIES or "
                    "MODEL ANSWERS allow; use [placeholders] for unknown facts."
                )
        return self


def _literal(values: Sequence[str]) -> Any:
    return Literal[tuple(values)]


def suggestion_model(request: CoachRequest) -> type[SuggestionAnswer]:
    """The response model for one request: bounded parts, cited ids from the retrieved ones."""
    limits = _PART_CHARS[request.tone]
    ids = request.source_ids or ["none"]
    fields: dict[str, Any] = {
        part: (str, Field(min_length=2, max_length=limits[part])) for part in PARTS
    }
    fields["cited_ids"] = (
        list[_literal(ids)],  # type: ignore[misc]
        Field(min_length=1, max_length=MAX_CITED),
    )
    fields["coaching_note"] = (str, Field(min_length=2, max_length=NOTE_CHARS))
    return cast(
        type[SuggestionAnswer],
        create_model("SuggestionAnswer", __base__=SuggestionAnswer, **fields),
    )


class BackedCommitment(BaseModel):
    """A promise the suggestion makes and the sources that allow it."""

    kind: str
    phrase: str
    backed_by: list[str]


class Suggestion(BaseModel):
    """The coach's answer: the reply, its parts, citations, a coaching note and the checks.

    status: ``ok``; ``flagged`` (shown, with a note: e.g. the model's rewrite failed the
    checks and the grounded draft is shown instead); ``rejected`` (not offered: the checks
    failed, `error` says why, `reply` is empty); ``failed`` (no usable answer).
    `source` says who wrote the reply: the grounded composition or the model's rewrite of it.
    """

    status: Literal["ok", "flagged", "rejected", "failed"]
    reply: str = ""
    parts: SuggestionParts | None = None
    source: Literal["grounded", "model"] = "grounded"
    cited_policy_ids: list[str] = Field(default_factory=list)
    cited_answer_ids: list[str] = Field(default_factory=list)
    coaching_note: str = ""
    tone: Tone = "friendly"
    policy_speak: list[PolicySpeakSpan] = Field(default_factory=list)
    commitments: list[BackedCommitment] = Field(default_factory=list)
    facts: dict[str, str] = Field(
        default_factory=dict, description="Case facts taken from the conversation."
    )
    flags: list[str] = Field(default_factory=list)
    checks: ReplyChecks | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)


async def generate_answer(
    request: CoachRequest, llm: LLM, use_cache: bool, messages: list[dict[str, str]] | None = None
) -> tuple[SuggestionAnswer, Usage, bool]:
    """A strict answer, or else a lenient one (the caller cleans it). Returns (answer, usage, strict)."""
    messages = messages or request.messages
    model = suggestion_model(request)
    context: dict[str, Any] = {"source_ids": set(request.source_ids), "backing": request.backing}
    scope = f"coach|{prompt_version()}"
    try:
        strict = await llm.generate(
            messages,
            model,
            context={**context, "strict": True},
            cache_scope=f"{scope}|strict",
            use_cache=use_cache,
        )
        return strict.value, strict.usage, True
    except InvalidAnswerError as exc:
        spent = Usage(calls=exc.attempts)
    lenient = await llm.generate(
        messages,
        model,
        context={**context, "strict": False},
        cache_scope=f"{scope}|lenient",
        use_cache=use_cache,
    )
    return lenient.value, spent + lenient.usage, False


def clean_reply(text: str, backing: Backing) -> tuple[str, list[str]]:
    """`text` without curt sentences or unbacked promises, with placeholders for inventions.

    Returns the text and a note for each change (used on lenient answers and while streaming).
    """
    notes: list[str] = []
    kept = []
    if (once := collapse_loops(text)) != text:
        notes.append("removed words the model repeated in a loop")
        text = once
    for a, b in sentence_spans(text):
        if curt := curt_phrases(text[a:b]):
            notes.append(f"removed policy-speak {curt}: '{text[a:b]}'")
        else:
            kept.append(text[a:b])
    clean, more = sanitize(" ".join(kept), backing)
    return clean, notes + more


def cleaned_parts(answer: SuggestionAnswer, backing: Backing) -> tuple[SuggestionParts, list[str]]:
    """Each part cleaned (a no-op for a strict answer); an emptied part becomes a placeholder."""
    parts: dict[str, str] = {}
    flags: list[str] = []
    for part in PARTS:
        text, notes = clean_reply(getattr(answer, part), backing)
        parts[part] = text or "[" + part.replace("_", " ") + "]"
        flags += notes
    return SuggestionParts(**parts), flags
