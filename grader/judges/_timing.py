"""The signals judge: elements measured in code from timestamps, turns and hand-offs.

* responsiveness: each wait of the customer for a company reply against the channel's
  `thresholds` in the rubric (prompt / slow; beyond 3x slow is very slow);
* efficient_resolution: the customer repeating themselves (near-identical sentences in
  different turns), the agent asking again for a detail already given or asking for details
  one short answer at a time, repeated transfers;
* escalation: voted by `_handoffs.escalation_vote` (hand-off events, a request for someone else,
  whether the hand-off was warm, dropped or refused).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from grader._results import JudgeVote
from grader._rubric import ResponseTimes
from grader._transcript import AGENT_SIDE, Channel, Role
from grader.judges._cues import has
from grader.judges._handoffs import QUOTED, REPEAT_SIMILARITY, escalation_vote
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["DEFAULT_RESPONSE_TIMES", "signals_judge"]

#: Used when the rubric gives no thresholds for a channel (seconds).
DEFAULT_RESPONSE_TIMES = {
    Channel.CHAT: ResponseTimes(prompt=120, slow=600),
    Channel.EMAIL: ResponseTimes(prompt=4 * 3600, slow=24 * 3600),
    Channel.SOCIAL: ResponseTimes(prompt=1800, slow=4 * 3600),
    Channel.VOICE: ResponseTimes(prompt=30, slow=180),
}
_DETAIL_KINDS = {
    "order number": re.compile(r"\b[A-Z]{1,4}[- ]?\d{3,}\b|\border (?:number|#|no)\b", re.I),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\be-?mail\b", re.I),
    "phone": re.compile(r"\+?\d[\d\s().-]{7,}\d|\bphone\b|\bnumber to call\b", re.I),
    "address": re.compile(r"\baddress\b|\bzip\b|\bpostcode\b", re.I),
    "reference": re.compile(
        r"\b(?:booking|reference|account|ticket|case|confirmation|policy|tracking) "
        r"(?:number|#|no\.?|ref(?:erence)?|id|code)\b|\b(?:booking )?reference\b",
        re.I,
    ),
    "name": re.compile(r"\bname of (?:your|the)\b|\bwhat(?:'s| is) (?:your|the) \w+ name\b", re.I),
    "error": re.compile(r"\berror\b|\bmessage (?:do )?you see\b|'[^']{6,}'", re.I),
}
_ASKS = re.compile(r"\?|\b(?:could|can|would) you (?:confirm|share|give|provide|send|tell)\b", re.I)


def _waits(ctx: JudgeContext) -> list[tuple[float, int, bool]]:
    """(seconds, turn index of the reply, announced) for each customer wait for the company.

    A wait starts at a customer turn, or at an agent turn that ends by putting the customer on
    hold, going to check or putting them through ("One sec.", "Let me check."): until the
    company's next turn the customer is waiting either way, whatever they say meanwhile; that
    wait is *announced*. Live (chat, voice, social), an agent turn that leaves the customer
    nothing to answer and is followed by another agent turn starts an unannounced wait: the
    customer is waiting for the rest.
    """
    last = {seg.turn_index: seg.text for seg in ctx.segments}
    turns = ctx.transcript.turns
    live = ctx.transcript.channel is not Channel.EMAIL
    out: list[tuple[float, int, bool]] = []
    since: datetime | None = None
    announced = False
    for i, turn in enumerate(turns):
        if turn.timestamp is None:
            continue
        if turn.role is Role.CUSTOMER and since is None:
            since, announced = turn.timestamp, False
        elif turn.role in AGENT_SIDE:
            if since is not None:
                out.append((max(0.0, (turn.timestamp - since).total_seconds()), i, announced))
            continues = i + 1 < len(turns) and turns[i + 1].role in AGENT_SIDE
            if has("hold", last.get(i, "")):
                since, announced = turn.timestamp, True
            elif live and continues and not turn.text.rstrip().endswith("?"):
                since, announced = turn.timestamp, False
            else:
                since = None
    return out


def _first_sentence(ctx: JudgeContext, turn_index: int) -> list[str]:
    return [s.id for s in ctx.segments if s.turn_index == turn_index][:1]


def _wait_level(seconds: float, held: bool, times: ResponseTimes) -> tuple[int, float]:
    """A wait's level (3 prompt, 2 noticeable, 1 slow, 0 very slow) and how far into it (0..1).

    A hold the agent announced may run to the slow threshold before it counts against them.
    """
    if seconds <= (times.slow if held else times.prompt):
        return 3, 0.0
    if seconds <= times.slow:
        return 2, (seconds - times.prompt) / max(1.0, times.slow - times.prompt)
    if seconds <= 3 * times.slow:
        return 1, (seconds - times.slow) / (2 * times.slow)
    return 0, min(1.0, (seconds - 3 * times.slow) / (3 * times.slow))


def _responsiveness(ctx: JudgeContext) -> JudgeVote | None:
    element = next((e for e in ctx.rubric.elements if e.id == "responsiveness"), None)
    channel = ctx.transcript.channel
    times = (element.thresholds if element else {}).get(channel, DEFAULT_RESPONSE_TIMES[channel])
    waits = _waits(ctx)
    if not waits:
        return _holds(ctx)
    graded = [_wait_level(s, held, times) for s, _, held in waits]
    levels = [lv for lv, _ in graded]
    slow = sum(lv <= 1 for lv in levels)
    noticeable = sum(lv == 2 for lv in levels)
    if min(levels) == 0:
        score = 0.0
    elif slow >= 2:
        score = 1.0
    elif slow == 1 or noticeable >= 2:
        score = 1.5 if slow else 2.0
    elif noticeable == 1:
        score = 2.0 if len(waits) > 1 else 2.5
    else:
        score = 3.0
    # within its band, a longer worst wait scores a little lower (8 minutes is not 3)
    score = max(0.0, score - 0.25 * max(frac for lv, frac in graded if lv == min(levels)))
    worst_s, worst_turn, _ = max(waits)
    unit = "h" if times.slow >= 3600 else "min"
    scale = 3600 if unit == "h" else 60
    return JudgeVote(
        judge="signals:waits",
        score=score,
        confidence=0.85,
        evidence=_first_sentence(ctx, worst_turn),
        rationale=f"{len(waits)} replies, longest wait {worst_s / scale:.1f} {unit} "
        f"({channel.value}: prompt <= {times.prompt / scale:g} {unit}, "
        f"slow > {times.slow / scale:g} {unit})",
    )


def _holds(ctx: JudgeContext) -> JudgeVote:
    """Without timestamps: holds announced and thanked, or a customer left asking."""
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    announced = [s.id for s in agent if has("hold", s.text)]
    thanked = [s.id for s in agent if has("hold_thanks", s.text)]
    left = [s.id for s in ctx.segments if s.role is Role.CUSTOMER and has("left_waiting", s.text)]
    if not (announced or thanked or left):
        return JudgeVote(
            judge="signals:timestamps",
            score=None,
            confidence=0.6,
            rationale="no timestamps and no hold or wait mentioned",
        )
    score = 1.0 if left else 2.0
    score += (0.5 if announced else 0.0) + (0.5 if thanked else 0.0)
    return JudgeVote(
        judge="signals:holds",
        score=min(3.0, score),
        confidence=0.55,
        evidence=(announced + thanked)[:3] or [s.id for s in agent][:1],
        rationale=f"no timestamps; hold announced: {bool(announced)}, thanked: {bool(thanked)}, "
        f"customer left asking: {bool(left)}",
    )


def _restated(ctx: JudgeContext) -> list[str]:
    """Customer sentences that say they already said it, or repeat their own specifics."""
    seen: set[str] = set()
    out = []
    for seg in ctx.segments:
        if seg.role is not Role.CUSTOMER:
            continue
        tokens = {m.group(0).lower() for m in QUOTED.finditer(seg.text)}
        if has("already_said", seg.text) or tokens & seen:
            out.append(seg.id)
        seen |= tokens
    return out


def _repeats(ctx: JudgeContext) -> list[str]:
    """Customer sentences that nearly repeat one from an earlier turn."""
    rows = [r for r in ctx.customer_rows if len(ctx.segments[r].text.split()) >= 4]
    if not ctx.has_vectors or len(rows) < 2:
        return []
    sims = ctx.vectors[rows] @ ctx.vectors[rows].T
    out = []
    for a in range(len(rows)):
        for b in range(a):
            same_turn = ctx.segments[rows[a]].turn_index == ctx.segments[rows[b]].turn_index
            if not same_turn and sims[a, b] >= REPEAT_SIMILARITY:
                out.append(ctx.segments[rows[a]].id)
                break
    return out


def _asked_again(ctx: JudgeContext) -> list[str]:
    """Agent questions for a kind of detail the customer had already given."""
    given: set[str] = set()
    out = []
    for seg in ctx.segments:
        if seg.role is Role.CUSTOMER:
            given |= {k for k, rx in _DETAIL_KINDS.items() if rx.search(seg.text)}
        elif seg.role in AGENT_SIDE and _ASKS.search(seg.text):
            asked = {k for k, rx in _DETAIL_KINDS.items() if rx.search(seg.text)}
            if asked & given and not re.search(
                r"\b(?:verify|security|verification)\b", seg.text, re.I
            ):
                out.append(seg.id)
    return out


#: Details asked to identify the customer or the thing (verification, registration, ...).
_IDENTIFYING = re.compile(
    r"\b(?:date of birth|dob|post ?code|zip(?: code)?|registration|reg (?:number|plate)|"
    r"number plate|last (?:four|4) digits|member(?:ship)? (?:number|no)|account number|"
    r"security (?:question|check|details)|verify|confirm (?:your|the) (?:identity|details))\b",
    re.I,
)
#: A system note that the customer is already identified.
_IDENTIFIED = re.compile(
    r"\b(?:verified|signed in|logged in|authenticated|identity confirmed)\b", re.I
)
_TOKEN = re.compile(r"\b(?=\w*\d)\w{3,}\b|\b[A-Z][a-z]{2,}\b")


def _needless_checks(ctx: JudgeContext) -> list[str]:
    """Identifying details asked for once the customer was identified, and never used.

    After a reference number or a system note that the customer is signed in, a question for
    their date of birth or the car's registration whose answer the agent then never mentions
    only cost the customer a round trip.
    """
    turns = ctx.transcript.turns
    identified = False
    out = []
    for i, turn in enumerate(turns):
        system_note = turn.role is Role.SYSTEM and bool(_IDENTIFIED.search(turn.text))
        reference = turn.role is Role.CUSTOMER and any(
            _DETAIL_KINDS[k].search(turn.text) for k in ("order number", "reference")
        )
        if system_note or reference:
            identified = True
        elif (
            identified
            and turn.role in AGENT_SIDE
            and _IDENTIFYING.search(turn.text)
            and _ASKS.search(turn.text)
            and i + 1 < len(turns)
            and turns[i + 1].role is Role.CUSTOMER
        ):
            answer = set(_TOKEN.findall(turns[i + 1].text))
            later = " ".join(t.text for t in turns[i + 2 :] if t.role in AGENT_SIDE)
            if answer and not any(tok in later for tok in answer):
                out += [s.id for s in ctx.segments if s.turn_index == i][-1:]
    return out


def _drip_fed(ctx: JudgeContext) -> list[str]:
    """Agent questions asked one at a time: each after a short answer to the previous one."""
    turns = ctx.transcript.turns
    out = []
    for i in range(2, len(turns)):
        prev_agent, answer, ask = turns[i - 2], turns[i - 1], turns[i]
        if (
            ask.role in AGENT_SIDE
            and prev_agent.role in AGENT_SIDE
            and answer.role is Role.CUSTOMER
            and ask.text.rstrip().endswith("?")
            and prev_agent.text.rstrip().endswith("?")
            and len(answer.text.split()) <= 6
        ):
            out += [s.id for s in ctx.segments if s.turn_index == i][-1:]
    return out


_FIGURE = re.compile(r"(?<![\w£$€:.-])(?=[\w:.-]*\d)\w[\w:.-]*\w|\b\d\b")


def _given_twice(ctx: JudgeContext) -> list[str]:
    """Customer turns that give again two or more figures from an earlier turn of theirs.

    "BRS-07, Cribbs Causeway, 14:10" after the first post had BRS-07 and 14:10: the details
    were asked for again, whatever words the question used.
    """
    seen: set[str] = set()
    out = []
    for turn_index, turn in enumerate(ctx.transcript.turns):
        if turn.role is not Role.CUSTOMER:
            continue
        figures = {m.group(0).casefold() for m in _FIGURE.finditer(turn.text)}
        if len(figures & seen) >= 2:
            out += [s.id for s in ctx.segments if s.turn_index == turn_index][:1]
        seen |= figures
    return out


def _efficiency(ctx: JudgeContext) -> JudgeVote:
    repeats, asked = _repeats(ctx), _asked_again(ctx)
    asked = list(dict.fromkeys(asked + _drip_fed(ctx) + _needless_checks(ctx)))
    repeats = list(dict.fromkeys(repeats + _restated(ctx) + _given_twice(ctx)))
    transfers = [
        e for e in ctx.signals.escalations if e.kind in ("transfer_announced", "bot_to_human")
    ]
    extra_transfers = max(0, len(transfers) - 1)
    long_chase = max(0, ctx.signals.customer_turns - 8) // 4
    penalty = len(repeats) + 0.75 * len(asked) + extra_transfers + long_chase
    score = float(np.clip(3 - penalty, 0, 3))
    parts = [f"{len(repeats)} repeated customer sentence(s)", f"{len(asked)} detail(s) asked again"]
    if extra_transfers:
        parts.append(f"{len(transfers)} transfers")
    if long_chase:
        parts.append(f"{ctx.signals.customer_turns} customer turns")
    return JudgeVote(
        judge="signals:steps",
        score=score,
        confidence=0.55 if penalty else 0.45,
        evidence=(asked + repeats)[:3],
        rationale="; ".join(parts),
    )


def signals_judge() -> Judge:
    """Votes on responsiveness, efficient_resolution and escalation from code signals."""

    async def judge(ctx: JudgeContext) -> Votes:
        votes = {"efficient_resolution": _efficiency(ctx), "escalation": escalation_vote(ctx)}
        waits = _responsiveness(ctx)
        if waits is not None:
            votes["responsiveness"] = waits
        return votes

    return judge
