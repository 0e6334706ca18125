"""Whether the agent used discretion on a rule, or applied it to the letter: empowerment's reader.

Two shapes recur in any industry once a customer asks round a rule (a lapsed permit, a trial
over by four nights, short notice for a pause):

* **granted**: the agent does what the rule would have stopped, in their own words ("I'll
  cancel the ticket, since you couldn't renew from hospital", "it's only fair you get the same
  deal", "you clearly haven't had the 100 nights, so yes, I'll take it back", "exactly the kind
  of thing we can be flexible about");
* **upheld**: the agent lets the rule's outcome stand against them ("the penalty stands", "the
  rules are the same for everyone", "the first two weeks will be charged as usual", "so I
  can't start a return", "the discount is only available before the expiry date"), or, pushed
  back on ("Even though I was in hospital?"), restates the rule without giving way.

A fix for something beside the rule ("I've corrected the email address") is neither: it is
what the old count of actions mistook for an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader._transcript import AGENT_SIDE, Role
from grader.judges._clauses import NEGATION, clauses
from grader.judges._protocol import JudgeContext

__all__ = ["Discretion", "discretion"]

_I = re.IGNORECASE

#: The case judged on its merits: fairness, flexibility, the rule's purpose not served.
_FAIR = re.compile(
    r"\b(?:(?:it'?s|it is|that'?s|that is) only (?:fair|right|reasonable)|"
    r"(?:it )?(?:wouldn'?t|would not|doesn'?t|does not) (?:be|seem|feel) (?:fair|right|reasonable) "
    r"(?:to|for us to) (?:charge|make|penali[sz]e|ask|expect|hold|bill|fine|leave|keep)|"
    r"(?:exactly|just|precisely) the (?:kind|sort|type) of (?:thing|situation|case|circumstance)s? "
    r"(?:we|i) (?:can|could|are happy to|'re happy to|like to) (?:be flexible|make (?:an )?exceptions?|"
    r"help|bend|work (?:round|around))|"
    r"(?:we|i) can (?:be|make) (?:a bit |a little )?(?:flexible|an exception)|"
    r"(?:happy|glad|able) to (?:make an exception|be flexible|bend)|"
    r"(?:you|he|she|they) (?:clearly |obviously )?(?:haven'?t|hasn'?t|didn'?t|never) (?:had|got|"
    r"get|used|had the (?:chance|use))\b[^.?!]{0,60}\b(?:so|which)\b|"
    r"(?:since|as|because|given (?:that)?) (?:you|he|she|they) (?:obviously |clearly |simply |"
    r"genuinely )?(?:couldn'?t|could not|weren'?t able|were not able|haven'?t had|never (?:got|"
    r"received|had)|(?:were|was|had been|'ve been|have been) (?:\w+ ){0,2}?(?:in|away|abroad|"
    r"overseas|off|ill|sick|unwell|stuck|posted|deployed|caught|held up|delayed|bereaved))\b|"
    r"(?:given|considering) (?:that|this|the circumstances|what happened|your \d+ years|"
    r"how long you'?ve)\b[^.?!]{0,80}\b(?:i'?ve|i have|i'?ll|i will|we'?ll|we will|we'?ve|so|yes)\b|"
    r"(?:^|[.!?,] )(?:so )?yes,? (?:i'?ll|i will|i can|we can|we'?ll|of course)\b[^.?!]{0,40}\b"
    r"(?:take|refund|cancel|waive|accept|return|pause|extend|honou?r|let))",
    _I,
)
#: The agent doing what the rule would have stopped (checked for negation clause by clause).
_GRANT = re.compile(
    r"\b(?:i|we)(?:'ll| will|'ve| have|'m going to| am going to|'d be happy to| can)?\s+"
    r"(?:also\s+|just\s+|now\s+|(?:gone|went|go) ahead and\s+)?"
    r"(?:cancel(?:led)?|waive[ds]?|wipe[ds]?|void(?:ed)?|scrap(?:ped)?|"
    r"drop(?:ped)? (?:the|that|it|this|your|those|these)|"
    r"back-?dat(?:e|ed)|honou?r(?:ed)?|reinstat(?:e|ed)|reopen(?:ed)?|extend(?:ed)?|"
    r"pause[ds]?|freez(?:e|ed)|froze|refund(?:ed)?|take (?:it|them|the \w+) back|taken (?:it|them) back|"
    r"knock(?:ed)? (?:the |that |it )?(?:[£$€]\s?\d[\d.,]* )?(?:[\w-]+ )?(?:fee |charge )?off|"
    r"let (?:it|this|that) (?:slide|go)|comp(?:ed)?|credit(?:ed)? (?:it |that |the \w+ |you )?back|"
    r"accept(?:ed)? (?:the|your|it|them)|appl(?:y|ied) the (?:\d+ ?% ?|\w+ )?(?:discount|rate|"
    r"price|offer|deal|saving|reduction)|let (?:you|it|this) (?:off|through|go|keep)|"
    r"start(?:ed)? the (?:return|refund|claim|exchange)|"
    r"(?:renew|extend|move|push|hold|keep)(?:ed)? (?:it|the \w+|your \w+) (?:from|until|till|to))\b",
    _I,
)
#: Discretion said as a state or a result: "we're happy to refund", "I've got the fee waived".
_GRANT_STATE = re.compile(
    r"\b(?:(?:i'?m|we'?re|i am|we are) (?:happy|glad|able|pleased) to (?:\w+ )?(?:refund|waive|cancel|"
    r"extend|honou?r|reinstate|backdate|accept|take it back|make an exception|drop)|"
    r"(?:i'?ve|i have|we'?ve|we have) (?:got|had|managed to get) (?:the|that|your|it|this) (?:\w+ )?"
    r"(?:fee |charge |penalty |fine )?(?:waived|cancelled|canceled|refunded|removed|dropped|"
    r"reversed|extended|approved))\b",
    _I,
)
#: ... or said as an outcome for the customer ("there's nothing to pay for April").
_FREE = re.compile(
    r"\b(?:(?:there'?s|there is|you'?ll have|you have) nothing (?:to pay|extra|owing)|"
    r"(?:won'?t|will not|don'?t|do not) (?:be charged|have to pay|need to pay|owe)"
    r"(?![^.?!]{0,30}\b(?:next|again|in future|from now on|going forward|any more|anymore))|"
    r"(?:so|and) there'?s no gap|(?:a |as a )?one-?time (?:courtesy|exception|credit|waiver)|the (?:ticket|fine|penalty|charge|fee) (?:is|has been) "
    r"(?:cancelled|waived|removed|dropped|wiped))\b",
    _I,
)
#: The rule's outcome left standing against the customer.
_UPHELD = re.compile(
    r"\b(?:(?:the )?(?:penalty|fine|ticket|charge|fee|decision|rule|cancellation|forfeit)s? "
    r"(?:still |does |do |will |would )?(?:stands?|appl(?:y|ies)|remains?)|"
    r"(?:the )?(?:rules?|terms|policy|same rules?) (?:is|are|apply|applies) (?:the same )?"
    r"(?:to|for) (?:all|every|any)|the same for (?:all|every|any)(?:one|body)?|no exceptions?|"
    r"(?:will|would|'ll|'d) (?:still )?be (?:charged|billed|payable|due)(?: \w+){0,3} (?:as "
    r"(?:usual|normal|standard)|in full|at the (?:full|standard|normal|usual) (?:rate|price))|"
    r"(?:would|will) be (?:the )?(?:standard|full|normal|usual) (?:price|rate|fee|charge|"
    r"[£$€]\s?\d[\d.,]*)|"
    r"(?:is|are) only (?:available|valid|possible|offered|open|redeemable|applicable) "
    r"(?:before|until|within|up to|if|when|for (?:members|orders|bookings) (?:made|placed))|"
    r"(?:so|which means) (?:i|we) (?:can'?t|cannot|can not|won'?t be able to|am unable to|'m unable to|"
    r"are unable to|'re unable to|have to|must)|"
    r"(?:i'?m|i am|we'?re|we are) (?:unable|not able) to (?:\w+ )?(?:refund|waive|cancel|remove|accept|"
    r"extend|return|honou?r|start|offer|make|change|backdate|reinstate|pause|reverse|drop)|"
    r"(?:i|we) (?:can'?t|cannot|can not|won'?t be able to) (?:\w+ )?(?:refund|waive|cancel|remove|accept|"
    r"extend|honou?r|make an exception|backdate|reinstate|reverse|drop)|"
    r"(?:i'?m afraid|unfortunately|sadly),? the earliest (?:i|we) can|"
    r"(?:is|are) (?:your|the (?:permit holder|customer|member|account holder|tenant|owner)'?s?) "
    r"(?:own )?responsibility|"
    r"(?:is|are) (?:non-?negotiable|not negotiable)|(?:that'?s|the decision is|it'?s) final|"
    r"(?:my|our) hands are tied|(?:it'?s|that'?s|it is) out of (?:my|our) hands|"
    r"(?:can'?t|cannot|couldn'?t) go against (?:the|our)|"
    r"(?:have to|must|need to|got to) (?:stick to|follow|go by|apply|stand by) (?:the|our) "
    r"(?:rules?|policy|terms|process|procedure)|"
    r"(?:wouldn'?t|would not) be fair (?:on|to) (?:other|our other|every|the other|all)|"
    r"(?:i'?m sorry|sorry|i'?m afraid|unfortunately),? (?:but )?the \w+(?: \w+)? (?:run|runs|ran|"
    r"start|starts|count|counts|ended|ends|expired|closed|finished) (?:from|on|at|after|when))\b",
    _I,
)
#: The customer pushing back on the rule they were given.
_PUSHBACK = re.compile(
    r"\b(?:even though|even if|even when|despite|but i (?:was|wasn'?t|had|didn'?t|couldn'?t|"
    r"never)|surely|can'?t you (?:just|make|do)|is there really nothing|so that'?s it|"
    r"that'?s not (?:fair|right|my fault))\b",
    _I,
)


@dataclass(frozen=True)
class Discretion:
    """Agent sentences that used discretion on the rule, and that let it stand."""

    granted: list[str] = field(default_factory=list)
    upheld: list[str] = field(default_factory=list)
    judged: list[int] = field(default_factory=list)
    """Turns where the agent named a rule by granting on its merits or letting it stand."""


def _granted(text: str) -> bool:
    if _FAIR.search(text):
        return True
    for clause in clauses(text):
        for rx in (_GRANT, _GRANT_STATE, _FREE):
            m = rx.search(clause)
            if m and rx is _FREE:
                return True
            if m and not NEGATION.search(clause[: m.start()]) and "if " not in clause[: m.start()]:
                return True
    return False


def discretion(ctx: JudgeContext, since: int) -> Discretion:
    """Discretion used or withheld by the agent from turn `since` (where the rule arose) on."""
    granted: list[str] = []
    upheld: list[str] = []
    judged: list[int] = []
    pushed = False
    for seg in ctx.segments:
        if seg.turn_index < since:
            continue
        if seg.role is Role.CUSTOMER:
            pushed = pushed or bool(_PUSHBACK.search(seg.text))
            continue
        if seg.role not in AGENT_SIDE:
            continue
        if _granted(seg.text):
            granted.append(seg.id)
            if _FAIR.search(seg.text):
                judged.append(seg.turn_index)
        elif _UPHELD.search(seg.text) or (pushed and _restated(seg.text)):
            upheld.append(seg.id)
            judged.append(seg.turn_index)
    return Discretion(granted=granted, upheld=upheld, judged=judged)


#: A rule said again after the push-back, with regret but no give ("I'm sorry, the 100 nights
#: run from the delivery date", "Yes, the rules are the same").
_RESTATE = re.compile(
    r"^\W*(?:(?:i'?m )?sorry|yes|i'?m afraid|unfortunately|as i said)\b[^?]*$",
    _I,
)


def _restated(text: str) -> bool:
    return bool(_RESTATE.search(text)) and not re.search(
        r"\b(?:but|however|what i can|i can|we can|let me)\b", text, _I
    )
