"""Free under an age, then charged for a child under it: the agent contradicts its own rule.

"Children under 6 ski free", "under-5s travel free", "kids under 12 stay free": once the agent
has said who pays nothing, a price it then asks for a child the conversation places under that
age ("my 5-year-old", "she's 4") contradicts it. Only a turn answering about children who are
all under the age is checked; an older child, a deposit or an announced change is no clash.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._money import MONEY

__all__ = ["age_band_errors", "ages_in"]

_I = re.IGNORECASE
_FREE_UNDER = re.compile(
    r"\b(?:under|below|younger than|aged under|up to)[- ]?(\d{1,2})s?(?:'s)?(?: years?(?: old)?|"
    r"[- ]year[- ]olds?|yo)?\b[^.;]{0,40}?\b(?:free|go free|no charge|(?:don'?t|do not|never) pay"
    r"|at no (?:cost|charge)|complimentary|nothing)\b"
    r"|\bfree (?:for|to) (?:children|kids|little ones|infants|toddlers|babies|under[- ]?)"
    r"[^.;]{0,20}?(?:under|below|younger than|up to)?[- ]?(\d{1,2})s?\b",
    _I,
)
_AGE = re.compile(
    r"\b(\d{1,2})[- ]?(?:year|yr)s?[- ]?old\b|\b(\d{1,2})[- ](?:year|yr)[- ]olds?\b|\baged (\d{1,2})"
    r"\b|\b(\d{1,2}) ?yo\b|\b(?:he|she|they|son|daughter|child|kid|boy|girl|baby|twins|mine|"
    r"little one|who)(?:'s| is| are) (?:only |just |now )?(\d{1,2})\b(?! ?(?:am|"
    r"pm|:|\.\d|%|[a-z]))|\b(\d{1,2})[- ]?month[- ]?old\b|\b(?:kids|children|boys|girls|sons|"
    r"daughters) (?:aged |of )?(\d{1,2}) and (\d{1,2})\b",
    _I,
)
_NO_CLASH = re.compile(
    r"\b(?:free|no charge|nothing to pay|deposit|refundable|instead|changed|new price|from (?:next|"
    r"the)|adults?|grown-?ups?|yourself|you and|lessons?|class(?:es)?|school|course|hire|"
    r"rental|equipment|insurance|upgrade|optional|extra|add-?on|photos?|lockers?|parking|snacks?)\b",
    _I,
)


def ages_in(text: str) -> list[float]:
    """The ages, in years, the text gives: "my 5-year-old", "aged 7 and 9", "an 18-month-old"."""
    out: list[float] = []
    for m in _AGE.finditer(text):
        if m.group(6):  # an 18-month-old is one
            out.append(int(m.group(6)) / 12)
            continue
        out += [float(g) for i, g in enumerate(m.groups(), 1) if g and i != 6]
    return out


def age_band_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(sentence id, why) for a price asked for a child the agent's own rule makes free."""
    limit: int | None = None
    limit_turn = -1
    asked: list[float] = []  # the ages the latest customer turn is about
    asked_turn = -1
    out: list[tuple[str, str]] = []
    for seg in segments:
        if seg.role is Role.CUSTOMER:
            ages = ages_in(seg.text)
            if seg.turn_index != asked_turn:
                asked, asked_turn = ages, seg.turn_index
            else:
                asked += ages
            continue
        if seg.role not in AGENT_SIDE:
            continue
        here = ages_in(seg.text)
        if (
            limit is not None
            and limit_turn < seg.turn_index
            and MONEY.search(seg.text)
            and not _NO_CLASH.search(seg.text)
        ):
            ages = here or (asked if asked_turn == seg.turn_index - 1 else [])
            if ages and all(a < limit for a in ages):
                out.append(
                    (
                        seg.id,
                        f"charges for a child of {max(ages):g}; it said under-{limit}s are free",
                    )
                )
        m = _FREE_UNDER.search(seg.text)
        if m:
            limit, limit_turn = int(m.group(1) or m.group(2)), seg.turn_index
    return out
