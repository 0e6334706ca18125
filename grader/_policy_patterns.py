"""What curt policy-speak looks like, as data: phrase patterns by kind, and the cues of an answer.

Two groups of kinds, because they withhold different things (see `grader._policy_speak`):

* a **citation** (the rule, the terms, the system, a bare "no") withholds the *why*;
* a **door-closer** (nothing I can do, go and ask someone else, not our fault, you should have,
  rules are rules, as I said) withholds *what can be done*.

Patterns are written over constructions (subject + negated modal, "you'll need to contact the
X", "you should have ...") rather than over one team's sentences, so they carry to other
industries; the cues below say when a reply answers what its curt phrase withholds.
"""

from __future__ import annotations

from grader._policy_cues import (
    ACKNOWLEDGEMENT,
    CLOSERS,
    REASON_CUES,
    REASSURANCE,
    REFUSAL,
    WAY_FORWARD,
)
from grader._policy_idioms import IDIOMS

__all__ = [
    "ACKNOWLEDGEMENT",
    "CITATIONS",
    "CLOSERS",
    "DOOR_CLOSERS",
    "PATTERNS",
    "REASON_CUES",
    "REASSURANCE",
    "REFUSAL",
    "WAY_FORWARD",
]

_WE = r"(?:i|we)"
_NEG_MODAL = r"(?:can'?t|cannot|can\s+not|won'?t\s+be\s+able\s+to|(?:'m|am|are|'re)\s+(?:not\s+able|unable)\s+to)"
_THIRD_PARTY = (
    r"(?:(?:the|your)\s+(?:\w+\s+)?(?:carrier|courier|bank|airline|manufacturer|maker|seller|vendor"
    r"|merchant|retailer|store|shop|restaurant|hotel|landlord|provider|insurer|issuer|post\s+office"
    r"|shipping\s+company|delivery\s+company|billing(?:\s+department)?|department|team|desk|office"
    r"|company|brand|network|operator|agency|broker)|them|they)"
)

_BASE: tuple[tuple[str, str, str], ...] = (
    # ---- citations: the rule stands in for its reason
    (
        "policy_citation",
        r"\b(?:that'?s|that\s+is|it'?s|it\s+is|this\s+is)\s+(?:just\s+|simply\s+)?"
        r"(?:our|the|company|store)\s+policy\b",
        "cites policy as the reason instead of explaining it",
    ),
    (
        "policy_citation",
        r"\b(?:per|according\s+to|as\s+per|under|in\s+(?:line|accordance|keeping)\s+with|pursuant\s+to)\s+"
        r"(?:our|the|company|store)\s+"
        r"(?:\w+\s+)?(?:policy|policies|terms|rules|guidelines|regulations|conditions|contract|agreement)\b",
        "cites policy as the reason instead of explaining it",
    ),
    (
        "policy_citation",
        r"\b(?:company|store|our|the)\s+policy\s+(?:doesn'?t|does\s+not|won'?t|will\s+not|says|states"
        r"|prohibits|forbids|is\s+not\s+to)\b|\b(?:against|violates?|go\s+against)\s+(?:our|the|company)"
        r"\s+(?:policy|policies|rules|terms|guidelines)\b|\bas\s+(?:stated|outlined|set\s+out|described)"
        r"\s+in\s+(?:our|the)\s+(?:terms|policy|policies|guidelines)\b",
        "cites policy as the reason instead of explaining it",
    ),
    (
        "guideline_appeal",
        r"\b(?:our|the|company|\w+)\s+(?:guidelines|regulations|procedures?|protocols?|rules"
        r"|terms(?:\s+(?:of\s+service|and\s+conditions))?|contract|agreement)\s+(?:say|says|state"
        r"|states|stipulate|require|requires|don'?t|do\s+not|doesn'?t|does\s+not|won'?t|prohibit"
        r"|forbid|only|clearly|are\s+clear|is\s+clear)\b",
        "appeals to the rulebook instead of explaining it",
    ),
    (
        "guideline_appeal",
        r"\b(?:standard|company|our)\s+(?:procedure|protocol|practice)\s+is\b"
        r"|\b(?:i|we)\s+(?:have|need|must)\s+to\s+follow\s+(?:the\s+|our\s+)?(?:procedure|protocol"
        r"|process|rules|guidelines|policy)\b|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:just\s+|only\s+)?"
        r"following\s+(?:the\s+|our\s+)?(?:procedure|protocol|process|rules|guidelines|policy)\b"
        r"|\bterms\s+and\s+conditions\s+apply\b|\bit'?s\s+(?:all\s+)?(?:written\s+)?in\s+the\s+(?:terms"
        r"|contract|agreement|fine\s+print|small\s+print|t\s*&\s*cs)\b",
        "appeals to the rulebook instead of explaining it",
    ),
    (
        "guideline_appeal",
        r"\b(?:that'?s|this\s+is|it'?s)\s+(?:just\s+|simply\s+)?how\s+(?:it|things|this|the\s+\w+)"
        r"\s+works?\b|\bthat'?s\s+(?:just\s+)?the\s+way\s+it\s+is\b|\bit\s+is\s+what\s+it\s+is\b",
        "hides behind how things are instead of explaining",
    ),
    (
        "system_says_no",
        r"\b(?:the\s+)?(?:system|computer|software|tool)\s+(?:won'?t|doesn'?t|does\s+not|will\s+not"
        r"|can'?t|cannot)\s+(?:let|allow|accept|take|permit|process)\b",
        "hides behind the system",
    ),
    (
        "no_exceptions",
        rf"\b{_WE}\s+(?:can'?t|cannot|don'?t|do\s+not|won'?t)\s+(?:make|do|give)\s+(?:any\s+|an\s+)?"
        r"exceptions?\b|\bno\s+exceptions\b|\bcan'?t\s+bend\s+(?:the\s+rules?|them|it)\b",
        "refuses judgement without a reason",
    ),
    (
        "bare_refusal",
        rf"\b{_WE}\s*(?:can'?t|cannot|can\s+not)(?!\s+(?:wait|thank|believe|imagine|stress|apologi))"
        rf"\b|\b{_WE}\s*(?:'m|am|are|'re)\s+(?:not\s+able|unable|not\s+allowed|not\s+permitted"
        rf"|not\s+authori[sz]ed)\s+to\b|\b{_WE}\s*(?:won'?t|will\s+not)\s+(?:be\s+able|refund|issue"
        r"|replace|exchange|accept|cancel|change|waive|match|cover|honou?r|reverse|extend|allow"
        rf"|approve|process|ship)\b|\b{_WE}\s*(?:don'?t|do\s+not)\s+(?:offer|do|accept|allow|give"
        r"|provide|match|price[\s-]?match|ship|refund|issue|make|cover|support|honou?r|sell|deliver"
        r"|process|exchange|replace|take)\b",
        "says no without the reason or what can be done",
    ),
    (
        "bare_refusal",
        r"\b(?:can'?t|cannot|can\s+not|won'?t|will\s+not)\s+be\s+\w+(?:ed|en)\b"
        r"|\b(?:is|are|was|were)(?:n'?t|\s+not)\s+(?:possible|allowed|permitted|eligible|refundable"
        r"|returnable|transferable|available|covered|accepted|an\s+option)\b"
        r"|\b(?:that|it|this)(?:'s|\s+is)\s+not\s+(?:possible|an\s+option|allowed)\b"
        r"|\bnon-?(?:refundable|returnable|transferable|negotiable)\b|\bnot\s+eligible\b|\bineligible\b"
        r"|\bno\s+(?:refunds?|returns?|exchanges?|cancell?ations?)\b"
        r"|\b(?:has\s+been|have\s+been|was|is)\s+(?:denied|declined|rejected|refused)\b"
        r"|^\s*nope\b|\bcan'?t\s+do\s+(?:that|it|this)\b|(?:^|[.!?]\s+)(?:not\s+possible|no\s+can\s+do"
        r"|impossible)\b",
        "says no without the reason or what can be done",
    ),
    (
        "bare_refusal",
        r"\bonly\s+(?:be\s+)?(?:available|possible|accepted|allowed|valid|issued|offered|refundable"
        r"|returnable|appl(?:y|ies)|within|for|up\s+to|if|when|before|after|during)\b"
        r"|\b\d+\s*(?:-\s*)?(?:\w+\s+)?(?:days?|hours?|weeks?|months?)\s+only\b"
        r"|\b(?:are|is)\s+limited\s+to\b|\b(?:the|our)\s+(?:policy|rule|limit|window|cut-?off|deadline)"
        r"\s+is\s+\d+|\bhad\s+to\s+be\b|\bmust\s+(?:be\s+)?\w+(?:ed|en)?\s+(?:within|before|by|at)\b"
        r"|\b(?:has|have|had)\s+(?:already\s+)?(?:expired|passed|closed|ended|lapsed)\b|\bexpired\b",
        "states the limit without the reason or what can be done",
    ),
    # ---- door-closers: what can be done is withheld
    (
        "nothing_to_do",
        r"\bthere(?:'s|\s+is|\s+isn'?t|\s+is\s+not)?\s+(?:really\s+|honestly\s+|simply\s+)?(?:is\s+|isn'?t\s+)?"
        r"(?:nothing|anything|not\s+much|little)\s+(?:\w+\s+){0,2}?(?:i|we)\s+(?:can|could)\s+"
        r"(?:do|change|offer)\b|\bnothing\s+(?:else\s+|more\s+|further\s+)?(?:i|we)\s+(?:can|could)\s+"
        r"(?:do|change|offer)\b|\bnothing\s+(?:can|could)\s+be\s+done\b|\bnothing\s+(?:more|else)\s+to"
        r"\s+(?:be\s+)?done\b|\bno\s+way\s+for\s+(?:me|us)\s+to\b|\bout\s+of\s+options\b",
        "closes the door without offering an alternative",
    ),
    (
        "nothing_to_do",
        rf"\b{_WE}\s*{_NEG_MODAL}\s+(?:do\s+(?:anything|much|more)|help\s+(?:you\s+)?(?:with\s+(?:that"
        r"|this)|further|any\s+further|here)|assist\s+(?:you\s+)?(?:further|any\s+further|with\s+(?:that"
        r"|this))|discuss\s+(?:it|this|that)\s+(?:any\s+)?further)\b|\b(?:that'?s|that\s+is|this\s+is|it'?s)"
        r"\s+not\s+(?:something|anything)\s+(?:i|we|i'?m|we'?re)\s+(?:am\s+|are\s+)?(?:able\s+to\s+)?"
        r"(?:do|help\s+with|offer|handle)\b|\bthat'?s\s+(?:all|everything)\s+(?:i|we)\s+can\s+(?:do"
        r"|tell|say|offer)\b|\bi\s+wish\s+i\s+could\s+help,?\s+but\b|\bnot\s+something\s+we\s+do\b",
        "closes the door without offering an alternative",
    ),
    (
        "deflection",
        r"\byou(?:'ll|\s+will|'d|\s+would)?\s+(?:need|have|want)\s+to\s+(?:contact|call|ring|phone|ask|speak\s+"
        r"(?:to|with)|talk\s+to|reach\s+out\s+to|take\s+(?:it|that|this)\s+up\s+with|get\s+in\s+touch"
        r"\s+with|email|write\s+to|go\s+(?:to|through)|check\s+with|raise\s+(?:it|that|this)\s+with"
        r"|open\s+a\s+(?:new\s+)?(?:ticket|case)|wait\s+for\s+them)\b",
        "sends the customer elsewhere instead of helping",
    ),
    (
        "deflection",
        r"\b(?:contact|call|ask|reach\s+out\s+to|speak\s+to|talk\s+to|take\s+(?:it|that|this)\s+up\s+"
        rf"with|get\s+in\s+touch\s+with|check\s+with|give)\s+{_THIRD_PARTY}\b",
        "sends the customer elsewhere instead of helping",
    ),
    (
        "deflection",
        r"\b(?:that'?s|that\s+is|it'?s|it\s+is)\s+(?:between\s+you\s+and|up\s+to|a\s+matter\s+for"
        r"|an\s+issue\s+for|something\s+for)\s+(?:the|your|them)\b|\b(?:is|are)\s+a\s+different\s+"
        r"(?:team|department)\b|\bnot\s+(?:my|our)\s+(?:job|department|area|team|call)\b"
        r"|\b(?:refer\s+to|check|see|read)\s+(?:our|the)\s+(?:faq|website|help\s+(?:centre|center)"
        r"|knowledge\s+base|help\s+page)s?\b|\b(?:i|we)\s+(?:just|only)\s+(?:handle|deal\s+with|do"
        r"|cover|sell|ship|process|book)\b|\bi\s+don'?t\s+make\s+the\s+rules\b",
        "sends the customer elsewhere instead of helping",
    ),
    (
        "no_responsibility",
        rf"\b{_WE}\s*(?:'re|'m|are|am)?\s*(?:not|n'?t)\s+(?:responsible|liable|accountable)\b"
        r"|\bnot\s+(?:our|my)\s+(?:fault|problem|responsibility|concern|issue)\b|\bnot\s+on\s+us\b"
        r"|\bno\s+longer\s+on\s+us\b|\bbeyond\s+(?:our|my)\s+control\b|\bout\s+of\s+(?:my|our)\s+"
        r"(?:hands|control)\b|\b(?:i|we)\s+have\s+no\s+control\s+over\b|\bmy\s+hands\s+are\s+tied\b"
        r"|\bnothing\s+to\s+do\s+with\s+(?:us|me)\b|\b(?:the\s+)?\w+'s\s+(?:problem|fault|responsibility)"
        r"\b|\b(?:side|end),?\s+not\s+(?:ours|us|mine)\b|\bnothing\s+i\s+can\s+change\b",
        "denies responsibility instead of owning the next step",
    ),
    (
        "blame_customer",
        r"\byou\s+should\s+(?:have|'ve)(?:\s+(?:read|checked|looked\s+at|known|asked|called"
        r"|cancell?ed|ordered|entered|noticed|kept))?\b|\byou\s+(?:were|are)\s+supposed\s+to\b|\byou\s+(?:needed|had)"
        r"\s+to\s+(?:read|check|cancel|enter|select|choose|apply|contact|tell|notify|register)\b"
        r"|\bif\s+you\s+had\s+(?:read|checked|looked|followed|entered|cancel\w*)\b|\byou\s+(?:must|might)"
        r"\s+have\s+(?:missed|skipped|forgotten|ignored|overlooked|misread|entered|chosen|selected"
        r"|clicked)\b|\byou\s+(?:didn'?t|did\s+not|failed\s+to|forgot\s+to|never)\s+(?:read|check|enter"
        r"|select|choose|cancel|apply|follow|tell|notify|register|confirm|update|include|submit|click"
        r"|look)\b|\byou\s+(?:entered|typed|gave|chose|selected|picked|provided|put)\s+(?:us\s+)?(?:the\s+"
        r"|a\s+|an\s+)?(?:wrong|incorrect|old)\b",
        "blames the customer",
    ),
    (
        "blame_customer",
        r"\b(?:it\s+was|it'?s|that\s+was|that'?s)\s+(?:your|the\s+customer'?s)\s+(?:responsibility|fault"
        r"|mistake|error|job)\b|\b(?:it\s+was|that\s+was|it'?s|that'?s)\s+(?:up\s+to|on)\s+you\b"
        r"|\byou\s+agreed\s+to\b|\byou\s+(?:accepted|signed)\b|\bit\s+(?:clearly\s+)?says\s+(?:so\s+)?"
        r"(?:clearly\s+)?(?:on|in)\s+(?:our|the)\b|\bas\s+(?:clearly\s+)?(?:stated|written|shown"
        r"|mentioned)\s+(?:at|in|on|during)\b|\bplease\s+read\s+(?:the|our|them)\b",
        "blames the customer",
    ),
    (
        "rules_are_rules",
        r"\brules\s+are\s+rules\b|\bpolicy\s+is\s+policy\b|\b(?:those|these)\s+are\s+the\s+rules\b"
        r"|\bit'?s\s+the\s+rules?\b|\bthe\s+rules\s+are\s+the\s+rules\b|\bend\s+of\s+(?:story"
        r"|discussion)\b|\b(?:the\s+)?decision\s+is\s+final\b|\bthe\s+answer\s+is\s+(?:still\s+)?no\b"
        r"|\b(?:it'?s|it\s+is|that'?s)\s+a\s+(?:hard\s+|firm\s+|definite\s+)?no\b"
        r"|\bfinal\s+sale\s+means\s+final\s+sale\b|\bno\s+means\s+no\b|(?<=[.!]\s)period\s*[.!]",
        "rigid rule-following instead of judgement",
    ),
    (
        "deflection",
        r"(?<!\ba\s)(?<!\b(?:an|my|as)\s)(?<!\b(?:the|our|any)\s)(?<!\byour\s)(?<!trusted\s)"
        r"\b(?:contact(?:ing)?(?!\s+(?:details|information|info|number|method|way|form|page|list)\b)"
        r"|get(?:ting)?\s+in\s+touch\s+with|reach(?:ing)?\s+out\s+to|speak(?:ing)?\s+"
        r"(?:to|with)|talk(?:ing)?\s+to|take\s+it\s+up\s+with|raise\s+(?:a|it|this|that)\s+(?:\w+\s+)?with"
        r")\s+(?!me\b|us\b|our\b|you\b|again\b|it\b|this\b|that\b)(?:the\s+|your\s+)?[A-Za-z]\w*"
        r"|\btry\s+(?:the|our|your)\s+(?:\w+\s+)?(?:forum|faq|website|site|help\s+cent(?:re|er)|community"
        r"|app|store|shop|bank|carrier|provider|support\s+page)s?\b"
        r"|\bfor\s+(?:the|your)\s+\w+(?:\s+\w+)?\s+to\s+(?:sort|handle|deal|resolve|fix|decide)\b"
        r"|\bfalls?\s+outside\b",
        "sends the customer elsewhere instead of helping",
    ),
    (
        "no_responsibility",
        r"\bnot\s+(?:[\w']+\s+){0,4}?(?:responsible|liable|accountable)\b|\bnot\s+(?:us|me|ours|mine)\b"
        r"|\bnot\s+(?:within|in)\s+my\s+(?:power|remit|control|authority|hands)\b"
        r"|\b(?:fine|working|nothing\s+wrong)\s+on\s+our\s+(?:end|side)\b"
        r"|\bnothing\s+(?:more|further|else)\s+(?:from|on)\s+our\s+(?:side|end)\b",
        "denies responsibility instead of owning the next step",
    ),
    (
        "blame_customer",
        r"\bif\s+you'?d\s+(?:\w+ed|read|paid)\b|\byou\s+missed\b|\b(?:must|has\s+to)\s+be\s+(?:your|on"
        r"\s+your)\b|\bfor\s+a\s+reason\b|\byou\s+(?:chose|picked|selected|ordered|booked)\b[^.!?]{0,40}"
        r"\bso\b|\bthe\s+(?:problem|issue)\s+is\s+(?:on\s+)?your\b",
        "blames the customer",
    ),
    (
        "guideline_appeal",
        r"\b(?:clause|section|article|paragraph)\s+\d+(?:\.\d+)*\b",
        "appeals to the rulebook instead of explaining it",
    ),
    (
        "rules_are_rules",
        r"\btake\s+it\s+or\s+leave\s+it\b|\bhow\s+(?:it'?s|it\s+has|things\s+have|we'?ve)\s+always\s+"
        r"(?:been|worked|done\s+it)\b|\bas\s+far\s+as\s+(?:we'?re|we\s+are|i'?m|i\s+am)\s+concerned\b"
        r"|\blike\s+everyone\s+else\b|\b(?:warranty|guarantee|claim|cover)\s+(?:is\s+)?void\b"
        r"|\b(?:will|shall)\s+(?:stay|remain|stand)\b",
        "rigid rule-following instead of judgement",
    ),
    (
        "blame_customer",
        r"\b(?:which|that|as)\s+you\s+(?:were|had\s+been)\s+(?:told|informed|warned|notified)\b"
        r"|\byou\s+were\s+(?:told|informed|warned|notified|emailed|sent|advised|reminded)\b",
        "blames the customer",
    ),
    (
        "nothing_to_do",
        r"\b(?:done|tried)\s+(?:all|everything)\s+(?:i|we)\s+(?:can|could)\b|\bno\s+point\s+in?\s*"
        r"(?:asking|trying|calling)\b",
        "closes the door without offering an alternative",
    ),
    (
        "deflection",
        r"(?:^|[.!?]\s+)(?:please\s+|just\s+)?(?:read|check|see|look\s+at|refer\s+to|consult|review)"
        r"\s+(?:the|your|our)\s+\w+",
        "sends the customer to do the work instead of helping",
    ),
    (
        "nothing_to_do",
        r"\byou(?:'ll|\s+will)?\s+(?:just\s+)?(?:need|have)\s+to\s+(?:wait|be\s+patient)\b"
        r"|\b(\w+)\s+(?:takes|is|are)\s+what\s+(?:it|they)\s+(?:takes|is|are)\b",
        "closes the door without offering an alternative",
    ),
    (
        "no_responsibility",
        r"\b(?:mistakes|accidents|delays|these\s+things|things|stuff)\s+happen\b|\bit\s+happens\b",
        "shrugs off the problem instead of owning the next step",
    ),
    (
        "dismissal",
        r"^\s*(?:ok|okay|k|fine|noted|sure)\s*[.!]?\s*$",
        "dismisses the customer",
    ),
    (
        "dismissal",
        r"\bclos(?:e|ing)\s+(?:this|the)\s+(?:chat|ticket|case|conversation)\b|\bnothing\s+(?:more|else"
        r"|further)\s+to\s+(?:discuss|add|say)\b",
        "dismisses the customer",
    ),
    (
        "dismissal",
        r"\b(?:this|the|your)\s+(?:ticket|case|conversation|chat|request)\s+(?:is|has\s+been|will)\s+"
        r"(?:now\s+)?(?:be\s+)?closed\b|\bas\s+i\s+(?:already\s+|have\s+|'ve\s+)?(?:said|explained"
        r"|told\s+you|mentioned|stated)\b|\b(?:i'?ve|i\s+have)\s+already\s+(?:explained|answered|told)\b"
        r"|\b(?:i'?ve|i\s+have)\s+answered\s+your\s+question\b",
        "dismisses the customer",
    ),
)
#: (kind, pattern, why it hurts). Several patterns may share a kind.
PATTERNS = _BASE + IDIOMS

#: Kinds that an explanation of the rule answers (they withhold the *why*).
CITATIONS = frozenset(
    {"policy_citation", "guideline_appeal", "system_says_no", "no_exceptions", "bare_refusal"}
)
#: Kinds only a way forward answers (they withhold *what can be done*).
DOOR_CLOSERS = frozenset(
    {
        "nothing_to_do",
        "deflection",
        "no_responsibility",
        "blame_customer",
        "rules_are_rules",
        "dismissal",
    }
)
