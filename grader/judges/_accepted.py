"""An accepted offer confirmed with other figures: "200 GB for £12", "yes please", "100 GB, £21".

When the customer takes what the agent offered ("yes please", "go ahead", "book it"), the
confirmation that follows is about the same thing, whatever words it uses: its allowance
(GB, minutes, nights, kg) must be the one offered, and a price it states must be one the offer
gave (or a multiple of it). The confirmation rarely repeats the offer's words, so the topic is
the acceptance itself, not shared vocabulary. A confirmation that names something added
(VAT, a fee, pro rata, a first-month discount) is not compared on price.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._consistency import facts_of

__all__ = ["accepted_offer_errors"]

_I = re.IGNORECASE
_ACCEPT = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|ok(?:ay)?|sure|go (?:ahead|for it|on then)|please do|let'?s do|"
    r"book (?:it|me in|that)|sounds (?:good|great|perfect)|perfect|great|lovely|brilliant|deal|"
    r"i'?ll (?:take|have|go for) (?:it|that|them)|do it|switch me|that one)\b",
    _I,
)
_ADDED = re.compile(
    r"\b(?:vat|tax|fees?|pro[- ]?rat\w*|first (?:month|bill|invoice)|discount\w*|off|plus|"
    r"including|includes|extra|part(?:ial)? month|credit|refund\w*|deposit|one-?off|setup|"
    r"activation|difference|less|minus|balance)\b",
    _I,
)
#: A confirmation sentence that offers something new instead is not a restatement.
_NEW_OFFER = re.compile(
    r"\b(?:however|instead|alternatively|could|down to|up to|rather|other|pause\w*|if you|"
    r"would you|or)\b|\?",
    _I,
)
_WORDY = 14  # an acceptance is short; a longer turn may be asking for something else


_MORE_UNITS = re.compile(r"\b(\d[\d,]*)\s?(minutes|mins|hours|hrs|channels|screens|lessons)\b", _I)


def _measures(seg: Segment) -> dict[str, set[float]]:
    """The allowances a sentence states: facts_of's units, and minutes, hours, screens."""
    out = {unit: set(values) for unit, values in facts_of(seg).measures.items()}
    for m in _MORE_UNITS.finditer(seg.text):
        unit = m.group(2).lower()
        unit = {"mins": "minutes", "hrs": "hours"}.get(unit, unit)
        out.setdefault(unit, set()).add(float(m.group(1).replace(",", "")))
    return out


def _turn(segments: list[Segment], turn: int) -> list[Segment]:
    return [s for s in segments if s.turn_index == turn]


def _multiples(values: set[float]) -> set[float]:
    return {round(v * n, 2) for v in values for n in range(1, 13)}


def accepted_offer_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(sentence id, why) for each confirmation whose figures differ from the accepted offer's."""
    out: list[tuple[str, str]] = []
    turns = sorted({s.turn_index for s in segments})
    for offer_t, accept_t, confirm_t in zip(turns, turns[1:], turns[2:], strict=False):
        offer, accept, confirm = (_turn(segments, t) for t in (offer_t, accept_t, confirm_t))
        if not (
            offer
            and accept
            and confirm
            and offer[0].role in AGENT_SIDE
            and accept[0].role is Role.CUSTOMER
            and confirm[0].role in AGENT_SIDE
        ):
            continue
        said = " ".join(s.text for s in accept)
        if not _ACCEPT.match(said) or "?" in said or len(said.split()) > _WORDY:
            continue
        facts = [facts_of(s) for s in offer]
        measures: dict[str, set[float]] = {}
        for s in offer:
            for unit, values in _measures(s).items():
                measures.setdefault(unit, set()).update(values)
        amounts = {a for f in facts for a in f.amounts}
        for seg in confirm:
            fact = facts_of(seg)
            if _NEW_OFFER.search(seg.text):
                continue
            why = next(
                (
                    f"confirms {min(v):g} {unit}; the offer accepted was {max(measures[unit]):g}"
                    for unit, v in _measures(seg).items()
                    if unit in measures and not v & measures[unit]
                ),
                None,
            )
            if why is None and amounts and fact.amounts and not _ADDED.search(seg.text):
                stray = [a for a in fact.amounts if a not in _multiples(amounts)]
                if stray and len(fact.amounts) == 1:
                    why = f"confirms {stray[0]:g}; the offer accepted gave {sorted(amounts)}"
            if why:
                out.append((seg.id, why))
    return out
