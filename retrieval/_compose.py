"""Grounded composition: a reply built from the retrieved model answer and policy, no model call.

The top model answer gives the structure (acknowledge, reason, alternatives, next step) and
the wording; the matching policy gives the reason and what may be offered. Each sentence of
the answer is sorted into a part by the same cues the detector uses, its placeholders are
filled from this conversation (or the sentence is left out), another case's product is
swapped for this one's, and a sentence that still speaks of another case (words neither
this conversation, the policy nor the team's usual wording contain) is not copied: the
policy's own reason and alternatives stand in for it. The coaching note is about the
structure, not a script.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from grader._policy_patterns import (
    ACKNOWLEDGEMENT,
    CITATIONS,
    REASON_CUES,
    WAY_FORWARD,
)
from grader._transcript import Role
from retrieval._acks import acknowledgement
from retrieval._actions import as_offer, claimed_actions
from retrieval._case import CaseFacts, fill_placeholders, swap_products
from retrieval._detector import PolicySpeakSpan, sentence_spans
from retrieval._other_case import (
    claims_their_case,
    conditional,
    leans_on_previous,
    thanks_for_unsent,
    without_their_choice,
)
from retrieval._records import ModelAnswer, Policy, Tone
from retrieval._request import CoachRequest
from retrieval._store import Hit
from retrieval._wording import (
    ACK_WORDS,
    lower_first,
    similar,
    to_customer,
    usual_words,
    words,
)

__all__ = ["PARTS", "Composition", "candidates", "compose"]

PARTS = ("acknowledgement", "reason", "alternatives", "next_step")
_NEXT = re.compile(
    r"\b(?:reply|let\s+me\s+know|just\s+(?:reply|send|tell|say)|want\s+me\s+to|shall\s+i"
    r"|would\s+you\s+like|which\s+(?:would|do)\s+you|tell\s+me|once|as\s+soon\s+as|i'?ll\s+"
    r"(?:email|send|update|let\s+you\s+know|call|message|check)|confirm|next)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Composition:
    """The four parts, the sources behind them and the coaching note."""

    parts: dict[str, str]
    cited_ids: list[str]
    coaching_note: str
    notes: list[str] = field(default_factory=list)


_TONE_TIE = 0.03
#: How much less about the conversation than the best policy an answer's policy may be.
_OFF_TOPIC = 0.15
#: An answer tied to no policy counts as if its policy were this far behind the best one.
_NO_POLICY = 0.05
#: Words that announce an option; an option the answer states plainly gets a lead-in.
_OFFER_OPENER = re.compile(
    r"\b(?:you\s+can|you\s+could|i\s+can|we\s+can|options?|instead|what\s+i\s+can\s+do"
    r"|here'?s\s+what|would\s+you\s+like|happy\s+to|i'?ve|i'?ll|i'?m\s+\w+ing)\b",
    re.IGNORECASE,
)
#: A sentence telling the customer what to try is an option, not the reason.
_IMPERATIVE = re.compile(
    r"^\s*(?:try|use|choose|pick|send|swap|switch|bring|keep|order|add|pop|drop|plug|hold|press"
    r"|turn|restart|reset|open|select|tap|click|sign|log)\b",
    re.IGNORECASE,
)
#: Words of another case a reason sentence may keep when a policy's reason can stand in.
_REASON_TOLERANCE = 2
#: A model answer this similar to the conversation is about the same situation.
_CLOSE = 0.4
#: A policy no retrieved answer applies is used only when this close to the conversation.
_POLICY_ON_ITS_OWN = 0.5
#: A sentence that starts by saying what we can do is an option.
_OFFER_START = re.compile(r"^\s*(?:\w+,\s*)?(?:i|we)\s*(?:can|could|'ll|will)\b", re.IGNORECASE)
#: A clause saying what something is for ("so we learn from it", "so there's no need to").
_PURPOSE = re.compile(
    r"\bso\s+(?:that\s+)?(?:we|you|it|they|there'?s|nobody|no\s+one)\b|\bbecause\b|\bin\s+case\b",
    re.IGNORECASE,
)
#: Another option in the alternatives ("store credit, or an exchange"; "...; or ...").
_ONE_MORE = re.compile(r"\bor\b|;|,\s+and\s+(?:i|we)\s+can\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot)\b|n't\b", re.IGNORECASE)
_COURTEOUS = re.compile(r"\b(?:sorry|apologi\w+|thank\w*|appreciate\w*)\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def _part_of(sentence: str, first: bool, last: bool, offered: bool) -> str:
    """Which part a model answer's sentence plays; `offered`: an alternative came before it.

    A model answer is written in the taught order, so a middle sentence with no cue is the
    explanation before the options are given and an option after.
    """
    if last and _NEXT.search(sentence):
        return "next_step"
    if first and (ACKNOWLEDGEMENT.search(sentence) or "[name]" in sentence):
        return "acknowledgement"
    if REASON_CUES.search(sentence) and not sentence.lower().startswith(("what i can", "i can")):
        return "reason"
    if _OFFER_START.search(sentence):
        return "next_step" if last and _NEXT.search(sentence) else "alternatives"
    if (
        re.search(r"\bbecause\b", sentence, re.IGNORECASE)
        and not sentence.lower().startswith("because")  # "Because your..., I can..." offers
        and not WAY_FORWARD.search(sentence)
    ):
        return "reason"  # "Reset links only go to the email on the account, because ..."
    if WAY_FORWARD.search(sentence) or _IMPERATIVE.search(sentence):
        return "next_step" if last else "alternatives"
    if first:
        return "acknowledgement"
    return "next_step" if last else "alternatives" if offered else "reason"


def _is_option(sentence: str) -> bool:
    """Whether a sentence offers something (not a question or an explanation)."""
    if sentence.rstrip().endswith("?"):
        return False
    return bool(
        _OFFER_START.search(sentence)
        or WAY_FORWARD.search(sentence)
        or _IMPERATIVE.search(sentence)
    )


def _adapt(
    sentence: str, facts: CaseFacts, known: set[str], known_text: str, tolerance: int
) -> str | None:
    """The sentence for this case, or None if it cannot be filled or speaks of another case.

    `tolerance`: how many words neither this case, the policy nor the team's usual wording
    contain may stay (none in an acknowledgement, which is all about the case).
    """
    filled = fill_placeholders(sentence, facts)
    if filled is None:
        return None
    filled = swap_products(filled, facts, known_text)
    usual = ACK_WORDS if tolerance == 0 else usual_words()
    foreign = words(filled) - known - usual
    if facts.product:
        foreign -= words(facts.product)
    if facts.name:
        foreign -= words(facts.name)
    if len(foreign) > tolerance:
        return None
    return without_their_choice(filled, known)


def _fits(sentence: str, parts: dict[str, list[str]]) -> bool:
    """No claim about another case's eligibility, and not a repeat of a sentence chosen.

    A condition ("If your purchase was within 14 days, you qualify...") claims nothing.
    (Curtness is judged on the whole reply by the checks: a model answer's sentence may
    say no because the next one says what can be done.)
    """
    if claims_their_case(sentence):
        return False
    return not any(similar(sentence, t) for chosen in parts.values() for t in chosen)


def _policy_for(request: CoachRequest, answer: ModelAnswer | None) -> Policy | None:
    """The policy the answer applies, else the nearest one if it is clearly about this case."""
    topic = answer.policy_topic if answer else None
    for hit in request.policies:
        if hit.record.topic == topic:
            return hit.record
    if request.policies and request.policies[0].similarity >= _POLICY_ON_ITS_OWN:
        return request.policies[0].record
    return None


def _policy_reason(policy: Policy) -> list[str]:
    """The rule, then the first sentence of its reason."""
    reason = _sentences(policy.reason)[0] if policy.reason else ""
    return [
        to_customer(policy.rule),
        to_customer(f"We have this rule because {lower_first(reason)}"),
    ]


def _policy_alternatives(policy: Policy) -> str | None:
    plain = [a for a in policy.alternatives if not _NEGATION.search(a)] or policy.alternatives
    offers = [to_customer(lower_first(a.rstrip("."))) for a in plain[:2]]
    if not offers:
        return None
    return "Here is what I can do: " + "; or ".join(offers) + "."


def _next_step(alternatives: int) -> str:
    if alternatives > 1:
        return "Tell me which option you'd prefer and I'll set it up for you."
    return "Reply here if that works for you and I'll take care of the rest."


_TIPS = {
    "citation": "Give the reason behind the rule instead of citing it",
    "closer": "Lead with what you can do instead of closing the door",
    "blame_customer": "Own the next step rather than pointing at what the customer did",
    "deflection": "Offer to do the hand-off yourself instead of sending the customer elsewhere",
}


def _coaching_note(spans: Sequence[PolicySpeakSpan], answer: ModelAnswer | None) -> str:
    kinds = {s.kind for s in spans}
    tips = [_TIPS[key] for key in ("deflection", "blame_customer") if key in kinds]
    if kinds & CITATIONS:
        tips.append(_TIPS["citation"])
    if kinds - CITATIONS - {"deflection", "blame_customer"} or not tips:
        tips.append(_TIPS["closer"])
    note = (
        "; ".join([*tips[:1], *(lower_first(t) for t in tips[1:2])])
        + ": acknowledge, say why, offer what is possible, then the next step."
    )
    if answer is not None:
        extra = f" {answer.structure_note.strip()}"
        if len(note) + len(extra) <= 300:
            note += extra
    return note[:300]


def candidates(request: CoachRequest, tone: Tone = "friendly") -> list[ModelAnswer]:
    """The retrieved model answers to build from, best first.

    Ranked by how much the answer *and the policy it applies* are about this conversation
    (the sum of both similarities): an answer that shares words with the case but applies
    another policy ("the headlamp was backordered" for a broken headlamp) loses to one a
    little less similar whose policy fits; an answer whose policy is far less about it than
    the best policy is not used while another is. An answer tied to no policy (a complaint,
    a hand-off) counts as if its policy were a little behind the best. The asked tone breaks
    near-ties.
    """
    if not request.answers:
        return []
    topic_sim = dict(request.topics) or {h.record.topic: h.similarity for h in request.policies}
    best_policy = max(topic_sim.values(), default=0.0)

    def about(hit: Hit[ModelAnswer]) -> float:
        """How much the answer and the policy it applies are about this conversation."""
        topic = hit.record.policy_topic
        if not topic_sim:
            return hit.similarity
        if topic is None:  # a situation no policy covers: as good as the policies allow
            return hit.similarity + best_policy - _NO_POLICY
        return hit.similarity + topic_sim.get(topic, 0.0)

    def off_topic(hit: Hit[ModelAnswer]) -> bool:
        topic = hit.record.policy_topic
        if not topic_sim or topic is None:
            return False
        return topic_sim.get(topic, 0.0) < best_policy - _OFF_TOPIC

    on_topic = [h for h in request.answers if not off_topic(h)] or request.answers
    best = max(about(h) for h in on_topic)
    ranked = sorted(
        on_topic,
        key=lambda h: (about(h) < best - _TONE_TIE or h.record.tone != tone, -about(h)),
    )
    return [h.record for h in ranked]


def compose(
    request: CoachRequest, facts: CaseFacts, tone: Tone = "friendly", *, choice: int = 0
) -> Composition:
    """The grounded reply for `request`, adapted to `facts` (no model call).

    `choice`: which of the `candidates` gives the structure (the next one is tried when a
    composition fails the checks).
    """
    answers = candidates(request, tone)
    answer = answers[choice] if choice < len(answers) else None
    policy = _policy_for(request, answer)
    context_text = " ".join([*(t.text for t in request.turns), request.draft])
    policy_text = f"{policy.rule} {policy.reason} {policy.offers()}" if policy else ""
    known = words(context_text) | words(policy_text)
    known_text = context_text.lower()
    parts: dict[str, list[str]] = {p: [] for p in PARTS}
    notes: list[str] = []
    if answer is not None:
        sentences = _sentences(answer.text)
        similarity = next(h.similarity for h in request.answers if h.record.id == answer.id)
        # the closer the answer is to this case, the more of its own wording may stay
        tolerance = 1 if similarity < _CLOSE else 99
        offered = dropped = False
        for i, sentence in enumerate(sentences):
            part = _part_of(conditional(sentence), i == 0, i == len(sentences) - 1, offered)
            offered = offered or part == "alternatives"
            allowed = (
                0
                if part == "acknowledgement"
                # the policy's reason stands in for another case's diagnosis ("the crack is at
                # the ferrule, a known weak point on that batch")
                else min(tolerance, _REASON_TOLERANCE)
                if part == "reason" and policy is not None
                else tolerance
            )
            adapted = _adapt(sentence, facts, known, known_text, allowed)
            if adapted is not None and claimed_actions(adapted):
                adapted = as_offer(adapted)  # done in the answer's case, not in this one
                if adapted is not None and part != "acknowledgement":
                    part = _part_of(adapted, False, i == len(sentences) - 1, offered)
                    offered = offered or part == "alternatives"
            if adapted is not None:
                adapted = conditional(adapted)
                if thanks_for_unsent(adapted, known):
                    adapted = None  # "Thank you for the photos" nobody sent here
            if adapted is not None and dropped and leans_on_previous(adapted):
                adapted = None  # "Would you like me to do that?" after "that" was left out
            dropped = adapted is None or not _fits(adapted, parts)
            if adapted is None:
                notes.append(f"left out '{sentence}' (another case's details or a fact not given)")
            elif not dropped:
                parts[part].append(adapted)
    if not parts["alternatives"] and len(parts["reason"]) > 1:
        parts["alternatives"] = [parts["reason"].pop()]  # the taught order: why, then what
    if (
        not parts["alternatives"]
        and parts["next_step"]
        and WAY_FORWARD.search(parts["next_step"][0])
    ):
        parts["alternatives"] = [parts["next_step"].pop()]  # an option; a plain next step follows
    lead = parts["alternatives"][0] if parts["alternatives"] else ""
    if lead and not _OFFER_OPENER.search(lead) and _is_option(lead):
        parts["alternatives"].insert(0, "Here's what you can do:")  # lead with it, say so
    cited = [answer.id] if answer is not None and any(parts.values()) else []
    if policy is not None:
        if not parts["reason"]:
            taken = [t for chosen in parts.values() for t in chosen]
            said = [t for t in taken if any(similar(r, t) for r in _policy_reason(policy))]
            fresh = [r for r in _policy_reason(policy) if not any(similar(r, t) for t in taken)]
            # the answer already gives the policy's why: that sentence is the reason
            parts["reason"] = fresh if not said else []
            if said:
                for chosen in parts.values():
                    if said[0] in chosen:
                        chosen.remove(said[0])
                parts["reason"] = [said[0]]
        if not parts["alternatives"] and (alternatives := _policy_alternatives(policy)):
            parts["alternatives"] = [alternatives]
        cited.insert(0, policy.id)
    if not parts["reason"]:
        # no policy to give the why: an option that says what it is for gives it
        purpose = [t for t in parts["alternatives"] if _PURPOSE.search(t)]
        parts["reason"] = purpose[:1]  # said once: the reply keeps its first place
    if not parts["acknowledgement"]:
        customer = [t.text for t in request.turns if t.role is Role.CUSTOMER]
        inquiry = answer.inquiry_type if answer else None
        parts["acknowledgement"] = [acknowledgement(customer, inquiry, facts)]
    elif not _COURTEOUS.search(" ".join(parts["acknowledgement"])):
        name = f", {facts.name}" if facts.name else ""
        parts["acknowledgement"].insert(0, f"Thank you for raising this{name}.")
    if not parts["next_step"]:  # "which option" only when the reply gives more than one
        parts["next_step"] = [
            _next_step(1 + len(_ONE_MORE.findall(" ".join(parts["alternatives"]))))
        ]
    return Composition(
        parts={p: " ".join(s) for p, s in parts.items()},
        cited_ids=cited,
        coaching_note=_coaching_note(request.detection.spans, answer),
        notes=notes,
    )
