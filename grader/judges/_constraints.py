"""The constraints judge: a reply fitted to the limits the customer stated, or not.

Tailoring is more than reusing a name and an order number. A customer often states a limit:
no smartphone or internet, not good with apps; only two minutes on a break. A reply that
sends them to the app, or answers a one-number question with a paragraph, ignores it however
many specifics it repeats; one that offers the phone or post, or answers in a line, fits it.
A customer who has to state the limit again ("but I don't have the app", "I said I'm a
student") is the plainest sign it was ignored.

The judge votes on tailoring only when the customer stated such a limit, or had to say again
who they are ("I said I'm a student", from their first reply on); otherwise it abstains and
the specifics judge speaks alone. Its votes are surer than the specifics
judge's (0.85 against 0.55): a stated limit met or ignored says more about tailoring than
whether a name was repeated.
"""

from __future__ import annotations

import re

from grader._results import JudgeVote
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import words
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["constraints_judge"]

_I = re.IGNORECASE
#: The customer cannot or does not use the digital route.
_OFFLINE = re.compile(
    r"\b(?:not (?:very |that |too |really )?(?:good|great|confident) (?:with|on) (?:these |the |my )?"
    r"(?:phones?|computers?|technology|tech|apps?|internet|online|gadgets)|not (?:on|online)"
    r"(?: the internet)?\b(?! yet)|(?:don'?t|do not|doesn'?t|never) (?:have|own|used?|do|done) "
    r"(?:a |an |the |any )?"
    r"(?:smart ?phone|mobile|computer|laptop|internet|e-?mail|app|online banking|wi-?fi)|"
    r"no (?:smart ?phone|computer|internet|wi-?fi|e-?mail)|not (?:very )?tech[- ]?(?:savvy|minded)|"
    r"(?:can'?t|cannot|unable to) (?:use|work|manage|do) (?:the |an |your )?(?:app|apps|website|"
    r"internet|computers?|online|phones?))",
    _I,
)
#: The reply sends them to the digital route anyway.
_DIGITAL = re.compile(
    r"\b(?:(?:open|download|install|log ?(?:in|on)(?:to)?|sign ?in(?:to)?|go (?:on|to)|visit|tap|"
    r"click|upload|scan)\b[^.?!]{0,40}\b(?:app|website|site|portal|online|account|menu|link|"
    r"button|icon|page|qr)|(?:on|via|through) (?:the|our) (?:app|website|portal)|online form)",
    _I,
)
#: The reply takes another route, or does it for them.
_ACCOMMODATES = re.compile(
    r"\b(?:(?:over|by) (?:the )?(?:phone|post|letter)|paper (?:form|copy|bill|statement)|"
    r"(?:in|by) the post|you (?:don'?t|won'?t) need (?:to do anything|the app|a smartphone|to go "
    r"online|the internet|a computer)|no need (?:for|to use) (?:the )?(?:app|internet|computer)|"
    r"(?:i'?ll|i will|i can|let me|i'?ve) (?:do|sort|set|arrange|book|handle|fill) (?:it|that|this|"
    r"everything|all of (?:it|that))(?: up| in| out)? for you|in (?:a|the) branch|call (?:us|me) "
    r"(?:back )?on)",
    _I,
)
#: The customer is short of time.
_HURRIED = re.compile(
    r"\b(?:(?:only |literally |just )?(?:got|have) (?:about |like )?(?:a|one|two|2|three|3|five|5|"
    r"a couple of|a few) (?:minutes?|mins?|secs?|seconds?)|in a (?:real )?(?:rush|hurry)|"
    r"on my (?:lunch )?break|short on time|pressed for time|quick (?:question|one|q)|"
    r"(?:be )?quick,? "
    r"please|(?:just|only) need (?:the|to know|a|one|to check)|short (?:answer|reply)s?|"
    r"keep it (?:short|brief)|briefly,? please|in a nutshell|tl;? ?dr|(?:just|only) (?:the|a) "
    r"(?:number|price|yes or no|date|time),? (?:please|pls)|one[- ]word answer|no essays?)\b",
    _I,
)
#: The customer tells the agent again who they are or what they said: it was ignored.
_SAID_SO = re.compile(
    r"\bi (?:said|told you|already said|mentioned|explained) (?:that )?(?:i(?:'m| am| don'?t| do "
    r"not| can'?t| cannot| have| was| only)|my)\b",
    _I,
)
#: The customer states the limit again, or gives up: it was ignored.
_RESTATED = re.compile(
    _SAID_SO.pattern + r"|\bbut i (?:don'?t|do not|can'?t|cannot|haven'?t|have not|am not|'m not)\b"
    r"|\b(?:i'?ve|i have) (?:got|only got) to go\b|\bi need to go\b",
    _I,
)
#: Words in a reply that answers a hurried customer in a line or two.
_BRIEF_WORDS, _LONG_WORDS = 40, 70


def _first_reply(ctx: JudgeContext, after_turn: int) -> tuple[list[str], str] | None:
    """Sentence ids and text of the first agent turn after `after_turn`."""
    turns = sorted({s.turn_index for s in ctx.segments if s.role in AGENT_SIDE})
    later = [t for t in turns if t > after_turn]
    if not later:
        return None
    segs = [s for s in ctx.segments if s.turn_index == later[0]]
    return [s.id for s in segs], " ".join(s.text for s in segs)


def _vote(score: float, confidence: float, evidence: list[str], why: str) -> JudgeVote:
    return JudgeVote(
        judge="detector:constraints",
        score=score,
        confidence=confidence,
        evidence=evidence[:3],
        rationale=why,
    )


def _offline(ctx: JudgeContext, stated: int, said: str) -> JudgeVote | None:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE and s.turn_index > stated]
    digital = [s.id for s in agent if _DIGITAL.search(s.text)]
    fits = [s.id for s in agent if _ACCOMMODATES.search(s.text)]
    restated = [
        s.id for s in ctx.segments if s.role is Role.CUSTOMER and s.turn_index > stated
        and _RESTATED.search(s.text)
    ]  # fmt: skip
    if restated or (digital and not fits):
        return _vote(
            0.5, 0.85, digital + restated, f"the customer said {said!r}; the agent sent them to the "
            "app or website anyway" + ("; they had to say it again" if restated else ""),
        )  # fmt: skip
    if fits:
        return _vote(3.0, 0.85, fits, f"the customer said {said!r}; the agent took another route")
    return None


def _hurried(ctx: JudgeContext, stated: int, said: str) -> JudgeVote | None:
    reply = _first_reply(ctx, stated)
    if reply is None:
        return None
    ids, text = reply
    n = len(words(text))
    if n > _LONG_WORDS:
        return _vote(0.75, 0.65, ids, f"the customer said {said!r}; the reply ran to {n} words")
    if n <= _BRIEF_WORDS:
        return _vote(3.0, 0.55, ids, f"the customer said {said!r}; the reply kept to {n} words")
    return None


def constraints_judge() -> Judge:
    """Tailoring votes from limits the customer stated (offline, short of time)."""

    async def judge(ctx: JudgeContext) -> Votes:
        customer = [s for s in ctx.segments if s.role is Role.CUSTOMER]
        for seg in customer:
            for rx, check in ((_OFFLINE, _offline), (_HURRIED, _hurried)):
                m = rx.search(seg.text)
                if m:
                    vote = check(ctx, seg.turn_index, m.group(0))
                    if vote is not None:
                        return {"tailoring": vote}
        said_so = [s.id for s in customer if s.turn_index > 0 and _SAID_SO.search(s.text)]
        if said_so:
            why = "the customer had to repeat what they had said about themselves"
            return {"tailoring": _vote(1.0, 0.55, said_so, why)}
        return {}

    return judge
