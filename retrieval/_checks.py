"""Checks before a suggestion is shown: grounded, said once, backed, and better than the draft.

A suggestion is offered only when all of these hold; otherwise it is withheld and the
problems are returned:

* it has the four parts and no ``[placeholder]`` left in it;
* every named entity, number, amount, reference and date in it appears in the conversation
  or in a source it cites, and every product it names in the conversation or a cited policy
  (a model answer's own "tent" is another customer's);
* no sentence is said twice;
* every promise of a refund, credit, exception or escalation is backed by a cited policy or
  model answer, it claims no action as done ("I've voided the duplicate") that the agent's
  own draft or turns do not claim, and it has no curt policy-speak of its own;
* the grader's own judges (`grader.judges`: message framing, courtesy) score it above the
  draft: framing and courtesy each at least the draft's, and their sum higher.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from grader._rubric import Rubric, default_rubric
from grader._segments import segment_transcript
from grader._signals import compute_signals
from grader._transcript import AGENT_SIDE, Role, Transcript, Turn
from grader.judges import build_context, framing_judge, rapport_judge
from retrieval._actions import unbacked_actions
from retrieval._case import PRODUCT_WORDS
from retrieval._commitments import backing_from, grounding_problems
from retrieval._detector import curt_phrases, sentence_spans
from retrieval._request import CoachRequest
from retrieval._wording import stem

__all__ = ["JUDGED_ELEMENTS", "MIN_SIMILARITY", "ReplyChecks", "check_reply", "judge_replies"]

JUDGED_ELEMENTS = ("message_framing", "courtesy")
#: Below this cosine similarity no stored answer or policy is about this conversation.
MIN_SIMILARITY = 0.35
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z'-]+(?:\s+[A-Z0-9][A-Za-z0-9'-]*)*")
#: A name the answer addresses its own customer by ("Hi Jonas,", "Happy to help, Jonas.").
_VOCATIVE = re.compile(
    r"(?:\b(?:hi|hello|hey|dear|thanks|thank you)\s+|,\s*)[A-Z][a-z]+(?=\s*[,.!?;:])", re.IGNORECASE
)
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]")
#: A product word used for another thing ("warm the canister in your jacket") names no product.
_OTHER_THING = re.compile(r"\b(?:in|into|inside|under)\s+(?:your|my|a)\s+[a-z-]+")
#: Capitalised words that name nothing (sentence openers, the agent speaking).
_COMMON = frozenset(
    [
        "you're",
        "here's",
        "what's",
        "you've",
        "you'll",
        "it's",
        "that's",
        "there's",
        "let's",
        "we're",
        "we'll",
        "we've",
        "great",
        "good",
        "nobody",
        "once",
        "i",
        "i'm",
        "i've",
        "i'll",
        "i'd",
        "hi",
        "hello",
        "dear",
        "thanks",
        "thank",
        "here",
        "what",
        "just",
        "tell",
        "reply",
        "your",
        "you",
        "we",
        "our",
        "sorry",
        "so",
        "that",
        "this",
        "it",
        "if",
        "once",
        "since",
        "because",
        "would",
        "shall",
        "which",
        "when",
        "let",
    ]
)


class ReplyChecks(BaseModel):
    """The verdict of the checks: `passed`, each problem found, and the judges' scores (0-3)."""

    passed: bool
    problems: list[str] = Field(default_factory=list)
    draft_scores: dict[str, float | None] = Field(default_factory=dict)
    suggestion_scores: dict[str, float | None] = Field(default_factory=dict)


def _pending(context: Sequence[Turn]) -> list[Turn]:
    """The customer's turns since the company last spoke (all of them if it never did)."""
    pending: list[Turn] = []
    for turn in reversed(context):
        if turn.role in AGENT_SIDE:
            break
        if turn.role is Role.CUSTOMER:
            pending.insert(0, Turn(role=turn.role, text=turn.text))
    return pending[-3:]


async def _scores(context: Sequence[Turn], reply: str, rubric: Rubric) -> dict[str, float | None]:
    transcript = Transcript(
        id="coach-check", turns=[*_pending(context), Turn(role=Role.AGENT, text=reply)]
    )
    ctx = build_context(
        transcript,
        rubric,
        segments=segment_transcript(transcript),
        signals=compute_signals(transcript),
        encoder=None,
    )
    votes = {**(await framing_judge()(ctx)), **(await rapport_judge(None)(ctx))}
    return {e: votes[e].score if e in votes else None for e in JUDGED_ELEMENTS}


async def judge_replies(
    context: Sequence[Turn], draft: str, reply: str, rubric: Rubric | None = None
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Framing and courtesy of the draft and of the reply, by the grader's detector judges."""
    base = rubric or default_rubric()
    return await _scores(context, draft, base), await _scores(context, reply, base)


def _better(draft: Mapping[str, float | None], reply: Mapping[str, float | None]) -> str | None:
    """Why the reply is not judged better than the draft, or None if it is."""
    if any(reply.get(e) is None for e in JUDGED_ELEMENTS):
        return "the judges could not score the suggestion"
    d = {e: draft.get(e) or 0.0 for e in JUDGED_ELEMENTS}
    r = {e: reply[e] or 0.0 for e in JUDGED_ELEMENTS}
    worse = [e for e in JUDGED_ELEMENTS if r[e] < d[e]]
    if worse or sum(r.values()) <= sum(d.values()):
        shown = ", ".join(f"{e} {d[e]:g} -> {r[e]:g}" for e in JUDGED_ELEMENTS)
        return f"not judged better than the draft ({shown})"
    return None


def _unknown_entities(reply: str, known_text: str) -> list[str]:
    found = []
    for m in _CAPITALISED.finditer(_PLACEHOLDER.sub(" ", reply)):
        words = m.group(0).split()
        while words and words[0].lower() in _COMMON:
            words = words[1:]  # "Hi Maria" names Maria
        entity = " ".join(words)
        if entity and entity not in known_text and entity.lower() not in known_text.lower():
            found.append(entity)
    return found


def _other_products(reply: str, known_text: str) -> list[str]:
    """Product words (a model answer's own 'tent') neither this case nor a cited policy names."""
    known = {stem(w) for w in re.findall(r"[a-z][a-z-]*", known_text.lower())}
    text = _OTHER_THING.sub(" ", _PLACEHOLDER.sub(" ", reply).lower())
    said = re.findall(r"[a-z][a-z-]*", text)
    return list(dict.fromkeys(w for w in said if w in PRODUCT_WORDS and stem(w) not in known))


async def check_reply(
    reply: str,
    parts: Mapping[str, str],
    request: CoachRequest,
    cited_ids: Sequence[str],
    *,
    rubric: Rubric | None = None,
) -> ReplyChecks:
    """Every check of the module docstring on one suggestion."""
    problems = [f"the {p.replace('_', ' ')} is missing" for p, text in parts.items() if not text]
    similarities = [h.similarity for h in request.answers] + [
        h.similarity for h in request.policies
    ]
    best = max(similarities, default=0.0)
    if best < MIN_SIMILARITY:
        problems.append(f"nothing in the store is about this conversation (best match {best:.2f})")
    problems += [f"unfilled placeholder {m.group(0)}" for m in _PLACEHOLDER.finditer(reply)]
    sentences = [" ".join(reply[a:b].lower().split()) for a, b in sentence_spans(reply)]
    problems += [
        f"repeated sentence: '{s}'" for s in {s for s in sentences if sentences.count(s) > 1}
    ]
    cited = set(cited_ids)
    policies = [h.record for h in request.policies if h.record.id in cited]
    answers = [h.record for h in request.answers if h.record.id in cited]
    conversation = [*(t.text for t in request.turns), request.draft]
    backing = backing_from(policies, answers, conversation)
    problems += grounding_problems(reply, backing)
    known = " ".join(
        [
            *conversation,
            *(f"{p.title} {p.rule} {p.reason} {p.offers()}" for p in policies),
            *(_VOCATIVE.sub(" ", a.text) for a in answers),  # another customer's name is not ours
        ]
    )
    problems += [f"names '{e}', which neither the conversation nor a cited source does"
                 for e in _unknown_entities(reply, known)]  # fmt: skip
    own = " ".join([*conversation, *(f"{p.rule} {p.reason} {p.offers()}" for p in policies)])
    problems += [f"names the product '{w}', which the conversation does not"
                 for w in _other_products(reply, own)]  # fmt: skip
    said = [request.draft, *(t.text for t in request.turns if t.role in AGENT_SIDE)]
    problems += [f"unbacked commitment: '{a.phrase}' claims an action not taken here"
                 for a in unbacked_actions(reply, said)]  # fmt: skip
    problems += [f"curt policy-speak '{p}'" for p in curt_phrases(reply)]
    draft_scores, reply_scores = await judge_replies(request.turns, request.draft, reply, rubric)
    if (why := _better(draft_scores, reply_scores)) is not None:
        problems.append(why)
    return ReplyChecks(
        passed=not problems,
        problems=problems,
        draft_scores=draft_scores,
        suggestion_scores=reply_scores,
    )
