"""Detector votes on how the agent says "no" and does the work.

Elements: message framing, empowerment (voted by `_empowerment` from the turns read here),
diligence and expectation setting.

Message framing reads each agent turn that refuses or cites a limit (the policy-speak
detector's phrases, plus refusal wording): does the turn (or the next agent turn) give the
reason, offer what can be done, and lead with it? An unexplained policy phrase counts as no
reason. The conversation's framing is the mean of the worst turn and the average turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader._results import JudgeVote
from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import count, has
from grader.judges._empowerment import empowerment_vote
from grader.judges._ownership import closed_by_agent, done_by_agent
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["POLICY_KINDS", "framing_judge"]

#: Policy-speak kinds that state a rule or limit (others the detector reports, such as
#: greetings read as deflection, are left to the refusal and deflection cues).
POLICY_KINDS = frozenset(
    {
        "policy_citation",
        "rules_are_rules",
        "no_exceptions",
        "guideline_appeal",
        "nothing_to_do",
        "deflection",
        "no_responsibility",
        "system_says_no",
        "blame_customer",
    }
)


#: News that something is not available, said as a "no" ("No, exit rows are fully booked").
_UNAVAILABLE = re.compile(
    r"^\s*no[,.!]\s|\b(?:fully|all) (?:booked|taken|gone|sold)\b|\bsold out\b|"
    r"\bout of stock\b|\bnone left\b|\b(?:is|are) (?:all )?taken\b|\bunavailable\b|"
    r"\bno (?:seats|rooms|tables|slots|appointments|spaces|places) (?:left|available)\b",
    re.I,
)


@dataclass(frozen=True)
class _NoTurn:
    """An agent turn that says no, and how it says it."""

    turn_index: int
    refusal_ids: list[str]
    reason: bool
    alternative: bool
    leads_with_alternative: bool
    blunt_policy: bool

    @property
    def level(self) -> float:
        if self.blunt_policy and not self.alternative:
            return 0.0
        given = int(self.reason) + int(self.alternative)
        if given < 2:
            return float(given) - (0.5 if self.blunt_policy and given else 0.0)
        return 3.0 if self.leads_with_alternative else 2.0


def _turn_segments(ctx: JudgeContext) -> dict[int, list[Segment]]:
    out: dict[int, list[Segment]] = {}
    for seg in ctx.segments:
        if seg.role in AGENT_SIDE:
            out.setdefault(seg.turn_index, []).append(seg)
    return out


def _no_turns(ctx: JudgeContext) -> list[_NoTurn]:
    turns = _turn_segments(ctx)
    hits = [h for h in ctx.signals.policy_speak if h.kind in POLICY_KINDS]
    blunt = {h.turn_index for h in hits if not h.explained}
    cited = {h.turn_index for h in hits}
    order = sorted(turns)
    out = []
    for pos, t in enumerate(order):
        segs = turns[t]
        refusals = [s for s in segs if has("refusal", s.text) or _UNAVAILABLE.search(s.text)]
        if not refusals and t not in cited:
            continue
        if not refusals:  # the policy phrase is the refusal
            refusals = [s for s in segs if any(h.phrase in s.text for h in hits)]
            refusals = refusals or segs[:1]
        first_no = min(i for i, s in enumerate(segs) if s in refusals)
        # what can be done: in this turn, or the next agent turn before the customer pushes
        alts = [i for i, s in enumerate(segs) if has("alternative", s.text) and s not in refusals]
        nxt = order[pos + 1] if pos + 1 < len(order) else None
        customer_between = nxt is not None and any(
            ctx.transcript.turns[k].role is Role.CUSTOMER for k in range(t + 1, nxt)
        )
        later_alt = (
            nxt is not None
            and not customer_between
            and any(has("alternative", s.text) for s in turns[nxt])
        )
        reason = any(has("reason", s.text) for s in segs) and t not in blunt
        out.append(
            _NoTurn(
                turn_index=t,
                refusal_ids=[s.id for s in refusals],
                reason=reason,
                alternative=bool(alts) or later_alt,
                leads_with_alternative=bool(alts) and min(alts) < first_no,
                blunt_policy=t in blunt,
            )
        )
    return out


def _framing(nos: list[_NoTurn]) -> JudgeVote:
    if not nos:
        return JudgeVote(
            judge="detector:framing",
            score=3.0,
            confidence=0.35,
            rationale="no refusal, limit or policy statement to frame",
        )
    levels = [n.level for n in nos]
    score = 0.5 * min(levels) + 0.5 * sum(levels) / len(levels)
    worst = min(nos, key=lambda n: n.level)
    return JudgeVote(
        judge="detector:framing",
        score=round(score, 3),
        confidence=0.7 if any(n.blunt_policy for n in nos) else 0.6,
        evidence=worst.refusal_ids[:2],
        rationale=f"{len(nos)} turn(s) saying no; worst: reason={worst.reason}, "
        f"alternative={worst.alternative}, leads with it={worst.leads_with_alternative}"
        + (", bare policy phrase" if worst.blunt_policy else ""),
    )


#: Legwork the agent did in person ("I then rang their dispatch desk and spoke to ...").
_LEGWORK = re.compile(
    r"\b(?:i|we) (?:then |also |personally |just |already |have |'ve )?(?:rang|called|phoned|spoke|"
    r"chased|contacted|visited|went (?:down|over|and)|walked (?:over|down)|got hold of|tracked down)\b",
    re.I,
)
_TASK = r"(?:call|ring|phone|contact|chase|email|e-mail|get in touch with|speak to|reach out to|check with)"
_HANDED_BACK = re.compile(
    rf"\b(?:(?:i'?d|i would|we'?d|we would) (?:recommend|suggest|advise)(?: that)? you|"
    rf"you(?:'ll| will)? (?:need|have|want) to|(?:it'?s )?best (?:to|if you)|you (?:should|could|may "
    rf"want to|might want to)|please) (?:\w+ ){{0,2}}{_TASK}\b(?! (?:us|me|back|again)\b)",
    re.I,
)


def _diligence(ctx: JudgeContext) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    owned = [
        s.id
        for s in agent
        if has("action_done", s.text)
        or has("commitment", s.text)
        or _LEGWORK.search(s.text)
        or done_by_agent(s.text)
    ]
    # closing the chat on the customer is giving up, whatever was said before it
    closed = closed_by_agent(ctx)
    # the chasing left to the customer ("I'd recommend you call their dispatch desk")
    handed = [s.id for s in agent if _HANDED_BACK.search(s.text) and s.id not in owned]
    deflected = [s.id for s in agent if has("deflection", s.text)]
    deflected += [
        s.id
        for h in ctx.signals.policy_speak
        if h.kind in ("deflection", "no_responsibility", "nothing_to_do", "system_says_no")
        and not h.explained
        for s in agent
        if s.turn_index == h.turn_index and h.phrase in s.text and s.id not in deflected
    ]
    score = 1.5 + 0.75 * min(len(owned), 3) - 1.0 * min(len(deflected), 2)
    score -= 0.75 * min(len(handed), 2) + 1.0 * bool(closed)
    return JudgeVote(
        judge="detector:ownership",
        score=max(0.0, min(3.0, score)),
        confidence=0.55 if owned or deflected else 0.4,
        evidence=(deflected + owned)[:3] if deflected else owned[:3],
        rationale=f"{len(owned)} action(s) taken or promised, {len(deflected)} deflection(s), "
        f"{len(handed)} task(s) handed back to the customer; closed by the agent: {bool(closed)}",
    )


def _expectations(ctx: JudgeContext) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    concrete = [s.id for s in agent if has("time_concrete", s.text)]
    steps = [s.id for s in agent if has("next_step", s.text)]
    vague = [s.id for s in agent if has("vague_time", s.text) and not has("time_concrete", s.text)]
    over = sum(count("overpromise", s.text) for s in agent)
    over_ids = [s.id for s in agent if has("overpromise", s.text)]
    score = 1.0 + (1.0 if concrete else 0.0) + (1.0 if steps else 0.0)
    score -= 0.5 * min(len(vague), 2) + 1.0 * min(over, 3)
    return JudgeVote(
        judge="detector:expectations",
        score=max(0.0, min(3.0, score)),
        confidence=0.6 if over else 0.5,
        evidence=(over_ids + concrete + steps)[:3],
        rationale=f"{len(concrete)} concrete time(s), {len(steps)} next step(s), "
        f"{len(vague)} vague, {over} over-promise(s)",
    )


def framing_judge() -> Judge:
    """Votes on message_framing, empowerment, diligence and expectation_setting."""

    async def judge(ctx: JudgeContext) -> Votes:
        nos = _no_turns(ctx)
        return {
            "message_framing": _framing(nos),
            "empowerment": empowerment_vote(ctx, nos),
            "diligence": _diligence(ctx),
            "expectation_setting": _expectations(ctx),
        }

    return judge
