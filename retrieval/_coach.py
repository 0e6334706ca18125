"""The suggest use case: one library function the CLI, the application layer and the API call.

    suggestion = await suggest(draft, turns, store)               # embedded default: no model
    suggestion = await suggest(draft, turns, store, LLM("openai/gpt-4o-mini"))  # model rewrite

A conversation is any list of turns, customer turns only included (a helpdesk asks for help
before the agent has said anything); the draft may come with or without one. The steps are
also exposed one by one (`grounded_suggestion`, then `offer`) so a streaming front end can
send the detection first and the checked reply sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from grader._errors import BudgetExceededError, ModelError
from grader._rubric import Rubric
from grader._transcript import Turn
from grader.model import LLM, Usage
from retrieval._case import CaseFacts, case_facts
from retrieval._checks import ReplyChecks, check_reply
from retrieval._commitments import find_commitments
from retrieval._compose import Composition, candidates, compose
from retrieval._detector import Detector, default_detector, sentence_spans
from retrieval._records import Tone
from retrieval._request import CoachRequest, prepare_request
from retrieval._store import KnowledgeStore
from retrieval._suggest import (
    BackedCommitment,
    Suggestion,
    SuggestionParts,
    cleaned_parts,
    collapse_loops,
    generate_answer,
)

__all__ = [
    "GroundedSuggestion",
    "SuggestFn",
    "checked_grounded",
    "coach",
    "grounded_suggestion",
    "is_capable",
    "offer",
    "suggest",
]

SuggestFn = Callable[[str, Sequence[Turn], Tone], Awaitable[Suggestion]]


def is_capable(llm: LLM | None) -> bool:
    """Whether `llm` can write a reply worth sending (the embedded SmolLM2-135M cannot)."""
    return llm is not None and not llm.is_local


@dataclass(frozen=True)
class GroundedSuggestion:
    """A prepared request, this case's facts and the grounded reply, before the checks."""

    request: CoachRequest
    facts: CaseFacts
    composition: Composition

    @property
    def parts(self) -> SuggestionParts:
        """The four parts as the suggestion model holds them."""
        return SuggestionParts(**self.composition.parts)

    @property
    def reply(self) -> str:
        """The parts joined, each sentence said once."""
        return self.parts.reply()

    def sentences(self) -> list[str]:
        """The reply sentence by sentence (for streaming)."""
        reply = self.reply
        return [reply[a:b] for a, b in sentence_spans(reply)]


def grounded_suggestion(
    draft: str,
    context: Sequence[Turn],
    store: KnowledgeStore,
    *,
    tone: Tone = "friendly",
    detector: Detector | None = None,
) -> GroundedSuggestion:
    """Detect, retrieve and compose, all local and without a model call (tens of ms)."""
    request = prepare_request(draft, context, store, detector or default_detector(), tone=tone)
    facts = case_facts(request.turns, draft)
    return GroundedSuggestion(request, facts, compose(request, facts, tone))


async def checked_grounded(
    grounded: GroundedSuggestion, rubric: Rubric | None = None
) -> tuple[GroundedSuggestion, ReplyChecks]:
    """The first composition (one per retrieved model answer) that passes the checks.

    If none does, the first one and its problems.
    """
    first: tuple[GroundedSuggestion, ReplyChecks] | None = None
    request = grounded.request
    for choice in range(max(1, len(candidates(request, request.tone)))):
        option = (
            grounded
            if choice == 0
            else replace(
                grounded, composition=compose(request, grounded.facts, request.tone, choice=choice)
            )
        )
        checks = await check_reply(
            option.reply, option.composition.parts, request, option.composition.cited_ids,
            rubric=rubric,
        )  # fmt: skip
        if checks.passed:
            return option, checks
        first = first or (option, checks)
    assert first is not None
    return first


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


async def _rewrite(
    grounded: GroundedSuggestion, llm: LLM, use_cache: bool
) -> tuple[SuggestionParts, list[str], str, list[str], Usage]:
    """The model's rewrite of the grounded reply: parts, cited ids, note, flags, usage."""
    request = grounded.request
    messages = request.render_messages(structured=True, grounded=grounded.composition.parts)
    answer, usage, strict = await generate_answer(request, llm, use_cache, messages)
    parts, flags = cleaned_parts(answer, request.backing)
    if not strict:
        flags.insert(0, "the model's answers stayed invalid after re-asks; problems were removed")
    cited = list(dict.fromkeys([*grounded.composition.cited_ids, *answer.cited_ids]))
    return parts, cited, collapse_loops(answer.coaching_note), flags, usage


def offer(
    grounded: GroundedSuggestion,
    checks: ReplyChecks,
    *,
    parts: SuggestionParts | None = None,
    cited: Sequence[str] | None = None,
    note: str | None = None,
    source: str = "grounded",
    flags: Sequence[str] = (),
    usage: Usage | None = None,
) -> Suggestion:
    """The suggestion as shown: offered when the checks passed, else withheld with the reasons."""
    request = grounded.request
    parts = parts or grounded.parts
    cited_ids = list(cited if cited is not None else grounded.composition.cited_ids)
    policy_ids = {h.record.id for h in request.policies}
    base: dict[str, Any] = {
        "tone": request.tone,
        "policy_speak": request.detection.spans,
        "facts": {k: v for k, v in asdict(grounded.facts).items() if v},
        "checks": checks,
        "usage": usage or Usage(),
        "cited_policy_ids": [i for i in cited_ids if i in policy_ids],
        "cited_answer_ids": [i for i in cited_ids if i not in policy_ids],
    }
    if not checks.passed:
        return Suggestion(
            status="rejected",
            error="not offered: " + "; ".join(checks.problems),
            flags=list(flags),
            **base,
        )
    reply = parts.reply()
    return Suggestion(
        status="flagged" if flags else "ok",
        reply=reply,
        parts=parts,
        source="model" if source == "model" else "grounded",
        coaching_note=note or grounded.composition.coaching_note,
        commitments=_commitments(reply, request),
        flags=list(flags),
        **base,
    )


def coach(
    store: KnowledgeStore,
    llm: LLM | None = None,
    *,
    detector: Detector | None = None,
    rubric: Rubric | None = None,
    use_cache: bool = True,
) -> SuggestFn:
    """A function suggesting a better reply for a draft, given the conversation so far.

    Without a capable `llm` (None or the embedded `local` model) the grounded composition
    is the suggestion; with one, the model rewrites it and the better-checked one is shown.
    """

    async def run(draft: str, context: Sequence[Turn], tone: Tone = "friendly") -> Suggestion:
        grounded, checks = await checked_grounded(
            grounded_suggestion(draft, context, store, tone=tone, detector=detector), rubric
        )
        if not is_capable(llm):
            return offer(grounded, checks)
        assert llm is not None
        try:
            new, cited, note, flags, usage = await _rewrite(grounded, llm, use_cache)
        except BudgetExceededError:
            raise
        except ModelError as exc:
            why = f"the model could not rewrite it ({exc}); the grounded reply is shown"
            return offer(grounded, checks, flags=[why])
        new_checks = await check_reply(
            new.reply(), new.model_dump(), grounded.request, cited, rubric=rubric
        )
        if new_checks.passed:
            return offer(
                grounded, new_checks, parts=new, cited=cited, note=note, source="model",
                flags=flags, usage=usage,
            )  # fmt: skip
        why = "the model's rewrite failed the checks (" + "; ".join(new_checks.problems) + ")"
        if checks.passed:
            return offer(
                grounded, checks, flags=[f"{why}; the grounded reply is shown"], usage=usage
            )
        return offer(grounded, checks, flags=[why], usage=usage)

    return run


async def suggest(
    draft: str,
    context: Sequence[Turn],
    store: KnowledgeStore,
    llm: LLM | None = None,
    tone: Tone = "friendly",
    *,
    rubric: Rubric | None = None,
    use_cache: bool = True,
) -> Suggestion:
    """One suggestion (see `coach` to make many with the same store and model)."""
    return await coach(store, llm, rubric=rubric, use_cache=use_cache)(draft, context, tone)
