"""Who the customer said they are: the stated situation a tailored reply has to fit.

Tailoring is fitting the reply to this customer, not echoing their words. What they say
about themselves before the first reply sets the fit: their expertise ("network engineer
here", "I'm a sparky myself", a question dense with the trade's codes), or its lack ("I'm 79
and not very good with these things"); the register they write in ("Dear Sir or Madam ...
Yours faithfully"); what they are not or do not have ("I'm not a resident"); and what they
have already tried ("I've set DHCP reservations, band steering is off"). `_fit` reads the
replies against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import words

__all__ = ["Profile", "not_attributes", "notation", "profile_of", "tech_tokens"]

_I = re.IGNORECASE
_TRADES = (
    r"(?:\w+ )?(?:engineer|developer|programmer|dev|sysadmin|devops|accountant|aca|acca|cpa|"
    r"cima|bookkeeper|auditor|actuary|electrician|sparky|plumber|gas fitter|mechanic|nurse|"
    r"doctor|gp|surgeon|pharmacist|paramedic|midwife|vet|solicitor|lawyer|barrister|paralegal|"
    r"architect|surveyor|installer|technician|camera operator|cinematographer|photographer|dop|"
    r"pilot|dentist|radiographer|physio(?:therapist)?|chef|broker|underwriter|it manager|"
    r"finance manager|finance director|web designer|(?:\w+ )?admin(?:istrator)?)"
)
#: The customer says they are a professional in what they are asking about.
_EXPERT = re.compile(
    rf"\b(?:i'?m|i am|i work as|i'?ve worked as|speaking as|as) (?:a |an |the )?(?:qualified |"
    rf"chartered |senior |trained |working |professional |retired )?{_TRADES}s?\b(?! (?:friend|"
    rf"said|told|says))|^\W*(?:i'?m |i am )?(?:a |an )?{_TRADES} here\b|"
    rf"^\W*[A-Z][a-z]+(?: [A-Z][a-z]+)*,? (?:lead |senior |head |chief )?{_TRADES}\W*$|"
    rf"\b(?:by trade|in the trade|"
    r"give it (?:to )?me straight|no need to (?:explain|dumb)|skip the basics|spare me the basics|"
    r"i know (?:the basics|how (?:it|this|these|that) works)|i do this for a living|same as "
    r"(?:usual|always|last time)|as (?:per )?usual)\b",
    _I | re.M,
)
#: ... unless it is negated ("I'm not an engineer"): that is a novice.
_NOT_EXPERT = re.compile(rf"\b(?:i'?m|i am) (?:not|no) (?:a |an )?(?:\w+ )?{_TRADES}\b", _I)
#: The customer says they are new to this, not technical, or elderly and unsure.
_NOVICE = re.compile(
    r"\b(?:not (?:very |that |too |at all |really )?(?:good|great|confident|clever) (?:with|at|"
    r"on) (?:these|this|that|such|the|technology|tech|computers?|phones?|gadgets|apps?|"
    r"anything)|non-?tech\w*|not (?:very |at all )?(?:techy|technical|tech[- ]?savvy|computer"
    r"[- ]?literate)|(?:don'?t|do not) (?:really )?(?:know|understand) (?:what|how) (?:an? |the )?"
    r"\W?\w+\W? (?:is|are|means|works)|(?:flip|old|basic|brick) phone|at my age|pensioner|"
    r"i'?m (?:7|8|9)\d\b|i am (?:7|8|9)\d\b|(?:7|8|9)\d[- ]years?[- ]old|first[- ]time (?:buyer|"
    r"customer|user|owner|driver|parent|landlord|investor|claim)|(?:hopeless|useless|rubbish|"
    r"terrible|clueless) (?:with|at|about) (?:technology|tech|computers?|phones?|apps?|these "
    r"things|this stuff|money|forms)|first time (?:i'?ve|"
    r"doing|using|buying|ever)|new to (?:all )?(?:this|these|it)|complete (?:beginner|novice)|"
    r"no idea (?:what|how)|(?:my|our) (?:grand)?(?:son|daughter|grandson|granddaughter|kids?) "
    r"(?:says|said|told me|usually does|set)|gets? (?:me )?muddled|easily confused|"
    r"i'?m (?:a )?(?:bit )?(?:of a )?(?:technophobe|dinosaur))\b",
    _I,
)
#: A letter's salutation or sign-off: the customer writes formally.
_FORMAL = re.compile(
    r"^\W*dear (?:sir|madam|sirs|team|supporter|customer|\w+ (?:team|care|services|department))"
    r"|\byours (?:faithfully|sincerely|truly)\b|^\W*(?:kind |best )?regards,?\W*$|"
    r"\bplease (?:confirm|advise|could you confirm)\b|\(a\)[^()]*\(b\)",
    _I | re.M,
)
#: "I'm not a resident", "I don't have a car": the reply should not treat them as one.
_NOT_A = re.compile(
    r"\bi(?:'m| am) not (?:a |an |one of your |on (?:a |the )?)?((?:[a-z-]+ ){0,2}?[a-z-]{3,})"
    r"(?=[.,;!?]| (?:and|but|so|or|i|any ?more|now|yet|myself|though)\b|$)|\bi (?:don'?t|do not|"
    r"no longer) (?:have|own|drive|use) (?:a |an |any )?([a-z-]{3,}(?: [a-z-]{3,})?)"
    r"(?=[.,;!?]| (?:and|but|so|or|i|any)\b|$)",
    _I,
)
_NOT_NOUN = frozenset(
    words(
        "sure able allowed aware certain happy keen interested asking looking trying going here "
        "there home around available working very really that this anymore anything able "
        "customer person user holder one"
    )
)
#: "I've already restarted it", "done the basics", "band steering is off": tried already.
_TRIED = re.compile(
    r"\b(?:i(?:'ve| have)? (?:already |also |even )?(?:tried|done|checked|set|restarted|"
    r"rebooted|reset|cleared|reinstalled|updated|turned|unplugged|switched|changed|replaced|"
    r"tested|run|ran|disabled|enabled|moved|followed)|(?:already|even) (?:tried|done|checked|"
    r"restarted|rebooted|reset|cleared|reinstalled|updated)|done (?:all )?the (?:basics|usual)|"
    r"(?:is|are) (?:already )?(?:off|disabled|enabled|reserved)\b)",
    _I,
)
#: A token of a trade's notation: an acronym, a code mixing letters and digits, a unit, a
#: version or path ("IPv6", "G98", "2.4GHz", "EF-RF", "4.2.1", "/v2/orders", "invoice.paid").
_TECH = re.compile(
    r"^(?:[A-Z]{2,6}s?|[A-Za-z]+\d+[A-Za-z\d.]*|\d+(?:\.\d+)?(?:[a-zA-Z]{1,4})|"
    r"[A-Za-z]+[-/][A-Za-z\d]+(?:-[A-Za-z\d]+)*|[a-z]+[A-Z]\w*|[a-f\d:]+::[a-f\d:]*|"
    r"\d+(?:\.\d+){2,}|/[\w.-]+(?:/[\w.-]+)+|[a-z]+[._][a-z_]+)$"
)
#: A status code said as one ("returns 401", "HTTP 429", "a 500 error").
_STATUS = re.compile(
    r"\b(?:returns?|http|error|getting|gets?|got|with an?|throws?) ([1-5]\d\d)\b", _I
)
#: Words of a trade's working vocabulary that a lay customer rarely writes.
_TRADE_WORD = re.compile(
    r"\b(?:api|endpoints?|webhooks?|headers?|tokens?|sdk|schema|csv|json|xml|payload|"
    r"firmware|subnet|vlan|ssid|dhcp|dns|multicast|latency|throttl\w+|timeouts?|"
    r"server-side|geofence|inverter|array|consignee|incoterm|ledger|accrual|reconcil\w+|"
    r"amortis\w+|depreciation|dosage|contraindicat\w+|anticoagulant|gimbal|aperture|"
    r"calibrat\w+|torque|manifold|spec(?:ification)?s?|skus?)\b",
    _I,
)
_PLAIN_CAPS = frozenset(
    w.upper() for w in words("I OK UK US USA EU TV PM AM ID PIN NHS FAQ PS ASAP THE AND")
)
#: Trade tokens in the opening turn that make it a specialist's question.
_DENSE = 3


@dataclass(frozen=True)
class Profile:
    """The customer's stated situation, read from what they wrote before the first reply."""

    expert: str = ""
    novice: str = ""
    formal: bool = False
    not_a: tuple[str, ...] = ()
    tried: str = ""
    tech: frozenset[str] = frozenset()
    opening: tuple[str, ...] = ()
    """Ids of the customer's sentences before the first reply."""

    @property
    def any(self) -> bool:
        """Whether the customer stated anything a reply could fit or ignore."""
        return bool(self.expert or self.novice or self.formal or self.not_a or self.tried)


def tech_tokens(text: str) -> frozenset[str]:
    """The trade tokens of `text` ("IPv6", "G98", "2.4GHz", "EF-RF"), long references left out."""
    out = {m.group(1) for m in _STATUS.finditer(text)}
    for raw in text.split():
        tok = raw.strip(".,;:!?()'\"")
        if (
            len(tok) >= 2
            and _TECH.match(tok)
            and tok.upper() not in _PLAIN_CAPS
            and not re.search(r"\d{5,}|^\d{4}$|^[£$€]", tok)
        ):
            out.add(tok.casefold())
    return frozenset(out)


def notation(text: str) -> frozenset[str]:
    """Trade tokens and trade vocabulary of `text`: what a specialist writes in."""
    vocab = {m.group(0).lower().rstrip("s") for m in _TRADE_WORD.finditer(text)}
    return tech_tokens(text) | vocab


def _opening(segments: list[Segment]) -> list[Segment]:
    first = next((s.turn_index for s in segments if s.role in AGENT_SIDE), None)
    return [
        s for s in segments if s.role is Role.CUSTOMER and (first is None or s.turn_index < first)
    ]


def not_attributes(text: str) -> list[str]:
    """What the customer says they are not or do not have ("resident", "car")."""
    out = []
    for m in _NOT_A.finditer(text):
        phrase = (m.group(1) or m.group(2) or "").lower().split()
        if phrase and phrase[0] in _NOT_NOUN:
            continue  # "not sure", "not able": a state, not what they are
        out += [w for w in phrase if w not in _NOT_NOUN and not w.endswith("ing")]
    return out


def profile_of(segments: list[Segment]) -> Profile:
    """The customer's stated situation before the first reply."""
    opening = _opening(segments)
    text = "\n".join(s.text for s in opening)
    tech = notation(text)
    novice = _NOVICE.search(text) or _NOT_EXPERT.search(text)
    expert = None if novice else _EXPERT.search(text)
    expert_said = expert.group(0) if expert else ""
    if not novice and not expert_said and len(tech) >= _DENSE + ("?" not in text) * 2:
        expert_said = ", ".join(sorted(tech)[:4])  # a specialist's question, in its notation
    tried = _TRIED.search(text)
    return Profile(
        expert=expert_said,
        novice=novice.group(0) if novice else "",
        formal=bool(_FORMAL.search(text)),
        not_a=tuple(dict.fromkeys(not_attributes(text))),
        tried=tried.group(0) if tried else "",
        tech=tech,
        opening=tuple(s.id for s in opening),
    )
