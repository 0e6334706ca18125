"""Detector votes on the connection with the customer, and the extras.

Elements: courtesy, professionalism, empathy, recovery, proactive information, extra mile
and clarity.

Cues come from `_cues` (apology, thanks, respectful address, acknowledgement of feelings,
actions, remedies); the customer's mood from `_mood`. Recovery is scored on what the agent
did after the customer's unhappiest turn (apology, action, remedy) as much as on how the
customer ended, so a customer who stays cross after a fair fix is not all the agent's fault.
Professionalism adds `_register` (over-familiar talk, staff gossip, jibes at the customer);
empathy adds `_accommodate` (stock acknowledgement is generic; easing the process is not).
"""

from __future__ import annotations

import re

from grader._embedding import SentenceEncoder
from grader._results import JudgeVote
from grader._transcript import AGENT_SIDE, Role
from grader.judges._accommodate import accommodates, formula_only
from grader.judges._conduct import called_out, personal_overshare, rhetorical_jibe
from grader.judges._cues import CUES, has
from grader.judges._extras import extras
from grader.judges._extras import voice as voice_of
from grader.judges._framing import POLICY_KINDS
from grader.judges._mood import UPSET_BELOW, TurnMood, closing_tone, customer_moods
from grader.judges._protocol import Judge, JudgeContext, Votes
from grader.judges._register import colleague_gossip, customer_jibe, over_familiar

__all__ = ["customer_names", "rapport_judge"]

_NAME_INTRO = re.compile(
    r"\b(?:i'?m|i am|this is|my name is|name'?s)\s+([A-Z][a-z]+)\b|^\s*([A-Z][a-z]+)\s*$",
    re.MULTILINE,
)


def customer_names(ctx: JudgeContext) -> set[str]:
    names = set()
    for turn in ctx.transcript.turns:
        if turn.role is Role.CUSTOMER:
            for m in _NAME_INTRO.finditer(turn.text):
                name = m.group(1) or m.group(2)
                if name and name.lower() not in {"hi", "hello", "thanks", "hey", "yes", "no", "ok"}:
                    names.add(name)
    return names


def _sincere(text: str) -> str:
    """The text without stock apologies: "sorry for any inconvenience" names no feeling."""
    return CUES["stock_apology"].sub(" ", text)


def _courtesy(ctx: JudgeContext, unhappy: bool) -> JudgeVote:
    turns: dict[int, str] = {}
    for s in ctx.segments:
        if s.role in AGENT_SIDE:
            turns[s.turn_index] = turns.get(s.turn_index, "") + " " + s.text
    names = customer_names(ctx)
    polite = 0
    for text in turns.values():
        # "please" alone is no courtesy cue: a sentence-initial "Please ..." reads as an order
        cues = (
            sum(has(c, text) for c in ("apology", "thanks", "greeting", "warm_close"))
            + has("feeling", _sincere(text))
            + any(n in text for n in names)
        )
        polite += cues > 0
    share = polite / max(1, len(turns))
    apologies = [s.id for s in ctx.segments if s.role in AGENT_SIDE and has("apology", s.text)]
    # only the formula ("we apologise for any inconvenience"): an apology that owns nothing
    stock = bool(apologies) and all(
        not has("apology", _sincere(s.text))
        for s in ctx.segments
        if s.role in AGENT_SIDE and has("apology", s.text)
    )
    blunt = [h for h in ctx.signals.policy_speak if not h.explained and h.kind in POLICY_KINDS]
    agent_text = " ".join(turns.values())
    rude = has("rude", agent_text) or has("sarcasm", agent_text)
    curt = sum(has(c, agent_text) for c in ("arguing", "dismissal"))
    problem = any(has("problem", ctx.segments[r].text) for r in ctx.customer_rows)
    apology_due = unhappy or problem
    score = 1.0 + 2.0 * min(1.0, 1.5 * share)
    if apology_due and not apologies:
        score -= 1.0
    elif stock:
        score -= 0.75
    score -= 0.5 * min(len(blunt), 2) + (1.0 if rude else 0.0) + 0.75 * curt
    cued = [  # the sentences whose courtesy cues were found, apologies and thanks first
        s.id
        for cue in ("thanks", "greeting", "warm_close", "feeling")
        for s in ctx.segments
        if s.role in AGENT_SIDE and has(cue, s.text)
    ]
    blunt_ids = [  # the sentences holding the bare policy phrases that cost points
        s.id
        for h in blunt
        for s in ctx.segments
        if s.turn_index == h.turn_index and h.phrase.casefold() in s.text.casefold()
    ]
    evidence = list(dict.fromkeys([*blunt_ids[:1], *apologies[:2], *cued]))[:3]
    # without a service-specific finding (an apology was due: given or not; a bare policy
    # phrase; rude or dismissive wording) this is a count of general cues, which a scorer
    # fitted on people's politeness ratings measures better (see `combine_votes`)
    service_finding = apology_due or bool(blunt) or rude or curt > 0 or stock
    return JudgeVote(
        judge="detector:courtesy",
        score=max(0.0, min(3.0, score)),
        confidence=0.55,
        defers_to_learned=not service_finding,
        # a corpus of requests has rude and curt wording, but no apology owed or policy phrase
        overrides_corpus=apology_due or bool(blunt) or stock,
        evidence=evidence,
        rationale=f"courtesy cues in {polite}/{len(turns)} agent turns; apology: "
        f"{bool(apologies)}{' (stock formula only)' if stock else ''}"
        f"{' (due)' if apology_due else ''}; bare policy phrases: {len(blunt)}; "
        f"curt or dismissive: {curt + rude}",
    )


def _professionalism(ctx: JudgeContext) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    rude = [s.id for s in agent if has("rude", s.text)]
    arguing = [
        s.id
        for s in agent
        if has("arguing", s.text)
        or has("sarcasm", s.text)
        or has("condescending", s.text)
        or rhetorical_jibe(s.text)
        or customer_jibe(s.text)
    ]
    # the customer objecting to the agent's manner is the plainest sign of it
    arguing += [sid for sid in called_out(ctx) if sid not in arguing]
    slang = [s.id for s in agent if has("slang", s.text) or over_familiar(s.text)]
    # staff problems, gossip or a colleague blamed: the customer is told what is not theirs
    overshare = [
        s.id
        for s in agent
        if has("oversharing", s.text) or personal_overshare(s.text) or colleague_gossip(s.text)
    ]
    if rude:
        return JudgeVote(
            judge="detector:conduct",
            score=0.0 if len(rude) > 1 else 1.0,
            confidence=0.6 if len(rude) > 1 else 0.5,
            evidence=rude[:3],
            rationale=f"{len(rude)} rude or dismissive sentence(s)",
        )
    score = 3.0 - (1.0 if slang else 0.0) - (1.5 if arguing else 0.0)
    score -= 0.5 * max(0, len(arguing) - 1) + (1.5 if overshare else 0.0)
    return JudgeVote(
        judge="detector:conduct",
        score=max(0.5, score),
        confidence=0.55 if arguing or slang or overshare else 0.45,
        evidence=list(dict.fromkeys(arguing + overshare + slang))[:3],
        rationale=f"no rude wording; {len(arguing)} blaming, arguing or sarcastic sentence(s), "
        f"{len(overshare)} oversharing internal matters, {len(slang)} with slang",
    )


_BARE_SORRY = re.compile(
    r"^\W*(?:(?:i'?m|i am|we'?re|we are|oh|so|very|really|truly),? )*sorry (?:to hear (?:that|this|"
    r"it)|about (?:that|this)|for that)\W*$",
    re.I,
)


def _empathy(ctx: JudgeContext, unhappy: bool) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    emotional = unhappy or any(has("emotion", ctx.segments[r].text) for r in ctx.customer_rows)
    # "Sorry to hear that." on its own names nothing of theirs: a formula, not an acknowledgement;
    # easing the process for their situation is one (`_accommodate`)
    specific = [
        s.id
        for s in agent
        if (
            has("feeling", _sincere(s.text))
            and not _BARE_SORRY.match(s.text)
            and not formula_only(s.text)
        )
        or (emotional and accommodates(s.text))
    ]
    generic = [
        s.id
        for s in agent
        if (has("generic_ack", s.text) or _BARE_SORRY.match(s.text) or formula_only(s.text))
        and s.id not in specific
    ]
    if specific:
        score = 3.0 if len(specific) >= 2 else 2.0
    elif generic:
        score = 1.0
    else:
        score = 0.0 if unhappy else 1.5
    if not specific and not generic and emotional:
        score = 0.0
    return JudgeVote(
        judge="detector:empathy",
        score=score,
        confidence=0.55 if (specific or emotional) else 0.35,
        evidence=(specific + generic)[:3],
        rationale=f"{len(specific)} acknowledgement(s) of the customer's feelings or situation, "
        f"{len(generic)} generic; customer upset or worried: {emotional}",
    )


def _recovery(ctx: JudgeContext, moods: list[TurnMood]) -> JudgeVote:
    # unhappy by the scores, or in words the scores miss ("this is a joke", "AT ALL", "??")
    if not moods or (min(m.mood for m in moods) > UPSET_BELOW and not any(m.heated for m in moods)):
        return JudgeVote(
            judge="detector:recovery",
            score=None,
            confidence=0.55,
            rationale="the customer never sounded unhappy",
        )
    worst = min(moods, key=lambda m: m.mood)
    end = moods[-1] if moods[-1].turn_index > worst.turn_index else worst
    if end is worst:
        mood_level = 0.5
    else:
        closing = end.mood + closing_tone(ctx.transcript.turns[end.turn_index].text)
        gain = closing - worst.mood
        mood_level = 3.0 if closing >= 0.3 else 2.0 if closing >= 0 else 1.0 if gain > 0.1 else 0.5
        if closing < worst.mood:
            mood_level = 0.0
    later = [s for s in ctx.segments if s.role in AGENT_SIDE and s.turn_index > worst.turn_index]
    around = [
        s for s in ctx.segments if s.role in AGENT_SIDE and s.turn_index >= worst.turn_index - 1
    ]
    acts = {
        "apology or acknowledgement": [
            s.id for s in around if has("apology", s.text) or has("feeling", _sincere(s.text))
        ],
        "action": [
            s.id
            for s in later
            if has("action_done", s.text) or has("commitment", s.text) or has("acting", s.text)
        ],
        "remedy": [s.id for s in later if has("remedy", s.text) or has("alternative", s.text)],
    }
    blunt = [
        h
        for h in ctx.signals.policy_speak
        if not h.explained and h.kind in POLICY_KINDS and h.turn_index > worst.turn_index
    ]
    action_level = max(0.0, sum(bool(v) for v in acts.values()) - 0.5 * len(blunt))
    score = 0.5 * mood_level + 0.5 * min(3.0, action_level)
    evidence = [*[ids[0] for ids in acts.values() if ids][:2], end.sentence_id]
    done = [k for k, v in acts.items() if v]
    return JudgeVote(
        judge="detector:recovery",
        score=round(score, 3),
        confidence=0.6,
        evidence=evidence,
        rationale=f"customer mood {worst.mood:+.2f} at worst, {end.mood:+.2f} at the end; "
        f"agent after that: {', '.join(done) or 'nothing that repairs'}",
    )


def rapport_judge(encoder: SentenceEncoder | None = None) -> Judge:
    """Votes on courtesy, professionalism, empathy, recovery and the extras."""

    async def judge(ctx: JudgeContext) -> Votes:
        moods = customer_moods(ctx, encoder)
        unhappy = any(m.mood <= UPSET_BELOW for m in moods)
        return {
            "courtesy": _courtesy(ctx, unhappy),
            "professionalism": _professionalism(ctx),
            "empathy": _empathy(ctx, unhappy),
            "recovery": _recovery(ctx, moods),
            **extras(ctx),
            **({"brand_voice": voice} if (voice := voice_of(ctx)) else {}),
        }

    return judge
