"""Slots: a value restated later must agree with the one stated for the same thing earlier.

A careless agent rarely contradicts itself word for word; it restates a value for the same
slot with a different figure: "Premium allows 4 screens" then "Premium is limited to 2
screens", "within 7 days of getting the bag back" then "21 days from when you got it back",
"79p per kWh" then "40 kWh at 79p comes to £23.60", "£79.99 each" then "two would be £119.98".
A slot is keyed by what the value attaches to: the named thing before it and the noun after
it, or the words that follow a duration; products of a rate and a quantity are recomputed.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._accepted import accepted_offer_errors
from grader.judges._cues import words

__all__ = ["slot_errors"]

_I = re.IGNORECASE
_MONEY = r"(?:[$€£]\s?\d[\d,]*(?:\.\d{1,2})?|\d+(?:\.\d+)?\s?(?:p|c|cents?|pence)\b)"
_RATE_TIMES = re.compile(
    rf"\b(\d+(?:\.\d+)?)\s?([a-z]+)\s+(?:at|@|x)\s+({_MONEY})(?:\s?(?:per|a|an|/)\s?\w+)?"
    rf"[^.?!£$€]{{0,25}}?\b(?:comes? to|is|are|=|would be|will be|works? out (?:at|to)|"
    rf"makes?|totals?|that'?s|costs?)\s+({_MONEY})",
    _I,
)
_EACH = re.compile(
    rf"\b([A-Z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s+(?:is|are|costs?)\s+({_MONEY})[^.?!]{{0,20}}?"
    rf"\b(?:each|per person|a head|per head)\b"
)
_COUNT_PRICE = re.compile(
    rf"\b(two|three|four|five|\d)\s+([a-z][\w-]*)(?:\s+[a-z][\w-]*)?\s+(?:would|will)?\s?(?:be|"
    rf"cost|costs|come to|is|are)\s+({_MONEY})",
    _I,
)
_NUM_NOUN = re.compile(r"(?<![$€£\d.:,])\b(\d+)\s+([a-z]{3,})\b")
_DURATION = re.compile(r"\b(\d+)\s+(days?|weeks?|months?|hours?)\b", _I)
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}
_COMMON = frozenset(
    words(
        "if so the a an just and but you your we our it this that yes no hi hello hey thanks please "
        "then when with for on in at as also sorry great ok okay sure right well there here what how "
        "i my dear best regards plus each every all both once after before from until by only however "
        "monday tuesday wednesday thursday friday saturday sunday january february march april may "
        "june july august september october november december"
    )
)
_SKIP = frozenset(
    words(
        "more extra additional other further free new spare less fewer times of and or to per in "
        "days day weeks week months month hours hour minutes years year"
    )
)
_ANCHOR_STOP = frozenset(
    words(
        "the a an of from to you your it its when after before is are was that this and or we our "
        "so in on at for with by be have has date time which will can also just there that's it's "
        "then now all any up"
    )
)


def _money(text: str) -> float:
    value = float(re.sub(r"[^\d.]", "", text))
    return value / 100 if re.search(r"\d\s?(?:p|c|cents?|pence)\b", text, _I) else value


def _stem(word: str) -> str:
    word = {"got": "get", "gotten": "get"}.get(word.lower(), word.lower())
    return re.sub(r"(?:ing|ed|es|s)$", "", word)[:5]


def _subject(text: str, start: int) -> str | None:
    """The nearest named thing (a capitalised, uncommon word) before `start` in the sentence."""
    before = text[:start]
    if re.search(r"\b[A-Z][a-z]+\s*$", before) or re.search(
        r"\b(?:other|another|remaining|extra|more|down to|go up to|from|move to|switch to|"
        r"change to|only|just)\s*$",
        before,
        _I,
    ):
        return None  # a label ("Band 2"), or a change or remainder, not the slot's value
    names = [w for w in re.findall(r"\b[A-Z][a-z]+\b", before) if w.lower() not in _COMMON]
    return names[-1].lower() if names else None


def _anchor(text: str, end: int) -> frozenset[str]:
    after = re.findall(r"[a-z']+", text[end : end + 45].lower())[:6]
    return frozenset(_stem(w) for w in after if w not in _ANCHOR_STOP and len(w) > 2)


def _products(seg: Segment) -> list[tuple[str, str]]:
    out = []
    for m in _RATE_TIMES.finditer(seg.text):
        want = float(m.group(1)) * _money(m.group(3))
        if abs(want - _money(m.group(4))) > 0.011:
            out.append((seg.id, f"{m.group(1)} {m.group(2)} at {m.group(3)} is {want:.2f}"))
    return out


def slot_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(agent sentence id, why) for a value restated for the same slot with a different figure."""
    out: list[tuple[str, str]] = []
    each: dict[str, float] = {}
    slots: dict[tuple[str, str], str] = {}
    durations: list[tuple[str, frozenset[str], int]] = []
    told: set[tuple[int, str]] = set()  # durations the customer gave: said back, not restated
    for seg in segments:
        if seg.role is Role.CUSTOMER:
            told |= {(int(m[1]), m[2].lower().rstrip("s")) for m in _DURATION.finditer(seg.text)}
        if seg.role not in AGENT_SIDE and seg.role is not Role.SYSTEM:
            continue
        text = seg.text
        out += _products(seg)
        for m in _COUNT_PRICE.finditer(text):
            n = _WORDS.get(m.group(1).lower()) or int(m.group(1))
            price = next((p for k, p in each.items() if _stem(m.group(2)) in k), None)
            if price and n > 1 and abs(n * price - _money(m.group(3))) > 0.011:
                out.append((seg.id, f"{n} at {price:.2f} each is {n * price:.2f}"))
        for m in _EACH.finditer(text):
            key = " ".join(_stem(w) for w in m.group(1).split())
            each.setdefault(key, _money(m.group(2)))
        for m in _NUM_NOUN.finditer(text):
            noun, subject = m.group(2).lower(), _subject(text, m.start())
            if noun in _SKIP or subject is None:
                continue
            said = slots.setdefault((subject, _stem(noun)), m.group(1))
            if said != m.group(1):
                out.append((seg.id, f"{subject}: {m.group(1)} {noun}; earlier {said}"))
        for m in _DURATION.finditer(text):
            anchor, value = _anchor(text, m.end()), int(m.group(1))
            unit = m.group(2).lower().rstrip("s")
            for said_unit, said_anchor, said_value in durations:
                same = said_unit == unit and anchor & said_anchor
                if same and said_value != value and (value, unit) not in told:
                    out.append((seg.id, f"{value} {unit}s where earlier {said_value} {unit}s"))
                    break
            durations.append((unit, anchor, value))
    flagged = {sid for sid, _ in out}  # and an accepted offer confirmed with other figures
    return out + [(sid, why) for sid, why in accepted_offer_errors(segments) if sid not in flagged]
