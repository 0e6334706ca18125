"""Suggest: turn a curt draft into a reply that acknowledges, explains, offers and says what next.

Composition: prepare (detect, retrieve, ground, prompt) → generate into a response model
whose validators hold the business rules (cited ids are among the retrieved ones, no curt
policy-speak, no promise without a source, no invented fact), so instructor re-asks with
the problem in hand → if the answers stay invalid, one lenient answer whose problems are
cut out or replaced by placeholders in code, and flagged → the grading guard.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, model_validator

from grader._errors import BudgetExceededError, InvalidAnswerError, ModelError
from grader._rubric import Rubric
from grader._transcript import Turn
from grader.model import LLM, Usage
from retrieval._commitments import Backing, find_commitments, grounding_problems, sanitize
from retrieval._detector import (
    Detector,
    PolicySpeakSpan,
    curt_phrases,
    default_detector,
    sentence_spans,
)
from retrieval._guard import GuardResult, reply_guard
from retrieval._prompting import prompt_version
from retrieval._records import Tone
from retrieval._request import CoachRequest, prepare_request
from retrieval._store import KnowledgeStore

__all__ = [
    "BackedCommitment",
    "SuggestFn",
    "Suggestion",
    "SuggestionAnswer",
    "SuggestionParts",
    "clean_reply",
    "coach",
    "suggest",
    "suggestion_model",
]

PARTS = ("acknowledgement", "reason", "alternatives", "next_step")
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
        text = " ".join(_sentence(getattr(self, p)) for p in PARTS if getattr(self, p).strip())
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

    status: ``ok``; ``flagged`` (something was cut or replaced, or the guard could not
    grade); ``rejected`` (it graded worse than the draft); ``failed`` (no usable answer).
    """

    status: Literal["ok", "flagged", "rejected", "failed"]
    reply: str = ""
    parts: SuggestionParts | None = None
    cited_policy_ids: list[str] = Field(default_factory=list)
    cited_answer_ids: list[str] = Field(default_factory=list)
    coaching_note: str = ""
    tone: Tone = "friendly"
    policy_speak: list[PolicySpeakSpan] = Field(default_factory=list)
    commitments: list[BackedCommitment] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    guard: GuardResult | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)


SuggestFn = Callable[[str, Sequence[Turn], Tone], Awaitable[Suggestion]]


async def _generate(
    request: CoachRequest, llm: LLM, use_cache: bool
) -> tuple[SuggestionAnswer, Usage, bool]:
    """A strict answer, or else a lenient one (the caller cleans it). Returns (answer, usage, strict)."""
    model = suggestion_model(request)
    context: dict[str, Any] = {"source_ids": set(request.source_ids), "backing": request.backing}
    scope = f"coach|{prompt_version()}"
    try:
        strict = await llm.generate(
            request.messages,
            model,
            context={**context, "strict": True},
            cache_scope=f"{scope}|strict",
            use_cache=use_cache,
        )
        return strict.value, strict.usage, True
    except InvalidAnswerError as exc:
        spent = Usage(calls=exc.attempts)
    lenient = await llm.generate(
        request.messages,
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


def _cleaned_parts(answer: SuggestionAnswer, backing: Backing) -> tuple[SuggestionParts, list[str]]:
    """Each part cleaned (a no-op for a strict answer); an emptied part becomes a placeholder."""
    parts: dict[str, str] = {}
    flags: list[str] = []
    for part in PARTS:
        text, notes = clean_reply(getattr(answer, part), backing)
        parts[part] = text or "[" + part.replace("_", " ") + "]"
        flags += notes
    return SuggestionParts(**parts), flags


def _status(verdict: GuardResult | None, flags: list[str]) -> Literal["ok", "flagged", "rejected"]:
    if verdict is not None and verdict.passed is False:
        return "rejected"
    return "flagged" if flags else "ok"


def _commitments(reply: str, request: CoachRequest) -> list[BackedCommitment]:
    return [
        BackedCommitment(
            kind=c.kind,
            phrase=c.phrase,
            backed_by=request.backing.sources_for(c.kind)
            if c.kind != "date"
            else ["conversation or sources"],
        )
        for c in find_commitments(reply)
    ]


def coach(
    store: KnowledgeStore,
    llm: LLM,
    *,
    detector: Detector | None = None,
    rubric: Rubric | None = None,
    guard: bool = True,
    use_cache: bool = True,
) -> SuggestFn:
    """A function suggesting a better reply for a draft, given the conversation so far."""
    check = reply_guard(llm, rubric) if guard else None

    async def run(draft: str, context: Sequence[Turn], tone: Tone = "friendly") -> Suggestion:
        request = prepare_request(draft, context, store, detector or default_detector(), tone=tone)
        base: dict[str, Any] = {"tone": tone, "policy_speak": request.detection.spans}
        try:
            answer, usage, strict = await _generate(request, llm, use_cache)
        except BudgetExceededError:
            raise
        except ModelError as exc:
            return Suggestion(status="failed", error=str(exc), **base)
        parts, flags = _cleaned_parts(answer, request.backing)
        if not strict:
            flags.insert(
                0, "the model's answers stayed invalid after re-asks; problems were removed in code"
            )
        reply = parts.reply()
        note = collapse_loops(answer.coaching_note)
        cited = list(dict.fromkeys(answer.cited_ids))  # a small model may cite one id twice
        policy_ids = {h.record.id for h in request.policies}
        verdict = await check(request.turns, draft, reply) if check else None
        if verdict is not None and verdict.passed is not True:
            flags.append(verdict.note)
        return Suggestion(
            status=_status(verdict, flags),
            reply=reply,
            parts=parts,
            cited_policy_ids=[i for i in cited if i in policy_ids],
            cited_answer_ids=[i for i in cited if i not in policy_ids],
            coaching_note=_once([note[a:b] for a, b in sentence_spans(note)]),
            commitments=_commitments(reply, request),
            flags=flags,
            guard=verdict,
            usage=usage + verdict.usage if verdict else usage,
            **base,
        )

    return run


async def suggest(
    draft: str,
    context: Sequence[Turn],
    store: KnowledgeStore,
    llm: LLM,
    tone: Tone = "friendly",
    *,
    rubric: Rubric | None = None,
    guard: bool = True,
) -> Suggestion:
    """One suggestion (see `coach` to make many with the same store and model)."""
    return await coach(store, llm, rubric=rubric, guard=guard)(draft, context, tone)
