"""The cues of an answer: what in a reply gives the reason behind a rule or a way forward.

`grader._policy_patterns` says what curt phrases look like; these say when the reply around
them answers what the phrase withholds, when a negation is good news rather than a refusal,
and when a sentence says no at all.
"""

from __future__ import annotations

import re

__all__ = [
    "ACKNOWLEDGEMENT",
    "CLOSERS",
    "GOOD_NEWS",
    "LEADING_NO",
    "REASON_CUES",
    "REASSURANCE",
    "REFUSAL",
    "WAY_FORWARD",
]

_I = re.IGNORECASE

#: Courtesy closers that offer nothing ("anything else?"), removed before looking for a way forward.
CLOSERS = re.compile(
    r"\b(?:is\s+there\s+)?anything\s+else(?:\s+i\s+can\s+(?:help|do)\s+(?:you\s+)?(?:with)?)?"
    r"(?:\s+today)?\s*\??|\bhave\s+a\s+(?:nice|good|great)\s+(?:day|one|evening)\b"
    r"|\blet\s+me\s+know\s+if\s+(?:you\s+have|there'?s|there\s+is)\s+any(?:thing)?\s*(?:other\s+)?"
    r"(?:questions?|else)?\b|\bthanks?\s+(?:you\s+)?for\s+(?:your\s+)?understanding\b"
    # having looked, or passing the feedback on, moves nothing forward for this customer's case
    r"|\b(?:i|we)\s*(?:'ve|have)\s+(?:now\s+|just\s+|already\s+|also\s+)?(?:checked|reviewed|looked\s+(?:into|at)"
    r"|investigated|gone\s+through|double-checked)\b"
    r"|\b(?:i|we)\s*(?:'ll|will|'ve|have|can)\s+(?:\w+\s+)?(?:pass|forward|share|note)\s+(?:on\s+|along\s+)?"
    r"(?:your\s+)?(?:feedback|comments?|concerns?|thoughts)(?:\s+(?:on|along))?(?:\s+to\s+(?:the|our)\s+"
    r"(?:\w+\s+)?team)?",
    _I,
)

_DO = (
    r"(?:offer|give|send|issue|open|ask|set|upgrade|refund|exchange|add|update|reserve|cancel|apply"
    r"|arrange|pass|escalate|approve|review|repair|replace|redirect|credit|move|swap|transfer|call"
    r"|check|file|waive|hold|help|fix|resend|book|rebook|extend|switch|change|email|message|stay"
    r"|find|sort|order|ship|reach|contact|raise|flag|submit|track|trace|walk|show|process|note|put"
    r"|make|get|try|see|turn|remove|activate|reactivate|unlock|reset|restore|schedule|refer"
    r"|look(?:ing)?\s+(?:into|for|up)"
    r"|void|reverse|keep|waiv|cover|match|adjust|text|phone|lodge|chase|investigate|follow|sent|gave"
    r"|let\s+you\s+know|notify|inform|shar"
    r"|made|got|kept|brought|found|told|unblock|paid\s+(?:the|for|your|it|off)|rescue|prioriti[sz]e|expedite"
    r"|report|appl(?:y|ied)|verif|releas|request|reinstat|reissu|correct|amend|start|mark|squeez"
    r"|reopen|assign|allocat|organi[sz]|resolv|clear|unfreez)"
)
#: The reply gives the customer a way forward: something we do, an option, a step that progresses.
WAY_FORWARD = re.compile(
    rf"\b(?:i|we)\s*(?:'ll|will|can(?!'t|not|\s+only)|could|'d|would|am\s+going\s+to|'m\s+going\s+to"
    rf"|are\s+going\s+to|'m\s+happy\s+to|am\s+happy\s+to|'d\s+be\s+(?:happy|glad)\s+to|'d\s+like\s+to"
    rf"|want\s+to|(?:'ve|have)(?!\s+to\b)(?:\s+(?:just|already|now|also))?)\s+(?:\w+\s+){{0,3}}?{_DO}\w*"
    r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:now\s+|also\s+)?(?:sending|issuing|refunding|arranging"
    r"|escalating|opening|adding|checking|looking|transferring|bringing|booking|processing)\b"
    r"|\b(?:our|my)\s+(?:\w+\s+){0,2}(?:team|supervisor|lead|manager|specialist|desk|department"
    r"|colleague|partner)s?\s+(?:can|will|'ll|could|is\s+able\s+to|reviews?|handles?|approves?"
    r"|decides?|looks?\s+(?:at|into))\b"
    r"|\byou\s+(?:can|could|may)\s+(?:still\s+|also\s+|always\s+)?(?!contact|call|ask|reach|speak"
    r"|talk|email|write|check\s+with|try\s+(?:calling|contacting))\w+"
    r"|\byou(?:'re|\s+are)\s+(?:still\s+|more\s+than\s+)?(?:welcome|eligible|able|entitled)\s+(?:to|for)\b"
    r"|\byou\s+(?:still\s+)?have\s+(?:\d+|the\s+option|options|time|until)\b"
    r"|\byou(?:'ll|\s+will)\s+(?:still\s+)?(?:get|receive|see|have(?!\s+to\b)|be\s+(?:refunded|credited|able))\b"
    r"|\bstill\s+(?:available|possible|open|covers?|applies|an\s+option|qualif\w+)\b"
    r"|\b(?:is|are)\s+(?:still\s+|both\s+|also\s+)?(?:available|possible|an\s+option)\b"
    r"|\bwill\s+be\s+(?:back\s+)?(?:available|in\s+stock|back\s+in\s+stock)\b"
    r"|\binstead\b|\balternatively\b|\bwhat\s+(?:i|we)\s+can\s+do\b|\bhere'?s\s+(?:what|how)\b"
    r"|\b(?<!no\s)(?:another|the\s+quickest|a\s+quicker|the\s+fastest)\s+way\b"
    r"|\b(?:your|the|two|three|some|a\s+few|other|these|both)\s+options?\b(?!\s+(?:are|is)\s+limited)"
    r"|(?:^|[.!?]\s+)(?:is|are|do|does|did|could|can|would|will|what|which|when|where|how|have|has)"
    r"\b[^.!?]*\?"
    r"|\b(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:share|send|confirm|tell|upload|check|give"
    r"|provide|reply|let\s+me\s+know|try|forward|describe)\b|\bshall\s+(?:i|we)\b|\bwould\s+you\s+like\b"
    r"|\bdo\s+you\s+want\s+me\s+to\b|\bwhich\s+(?:would\s+you|do\s+you|one|works)\b"
    r"|\bif\s+you\s+(?:reply|send|confirm|share|let\s+me\s+know|can|could)\b"
    r"|\bif\s+you(?:'d|\s+would)\s+(?:like|prefer|rather)\b|\bhere(?:'s|\s+is|\s+are)\s+(?:your|the|a|an)\b"
    r"|\b(?:want|need)\s+(?:me\s+to|the|a|an|us\s+to)\b[^.!?]*\?"
    r"|\breply\s+(?:here|with|to\s+this)\b|\bjust\s+(?:reply|send|confirm)\b"
    r"|\bonce\s+you\s+(?:verify|confirm|send|reply|upload)\b"
    r"|\blet\s+me\s+(?!know\s+if\b)(?:\w+\s+)?(?:check|see|look|find|get|pull|take|try|fix|sort|help"
    r"|arrange|ask|transfer|walk|know|explain|make|set)\b"
    r"|\b(?:is|are)\s+on\s+(?:its|their)\s+way\b"
    r"|(?:^|(?<=[.!?;,:\u2014-])\s*|\b(?:then|and|so)\s+)we\s+(?:send|ship|refund|replace|exchange|issue|offer|give|email|credit|repair"
    r"|deliver)\b(?!\s+(?:nothing|no)\b)|\bbut\s+(?:the|our)\s+\w+\s+(?:can|could|will|is\s+able\s+to)\s+(?!not\b)\w+"
    r"|\bbut\s+(?:the|our)\s+(?:\w+\s+){1,3}?(?:accepts?|offers?|has|have|takes?|stocks?|sells?|opens?|covers?)\b|\bbut\s+(?:we|you)\s+(?:do\s+|can\s+|could\s+|will\s+|still\s+|also\s+)*(?:deliver|ship"
    r"|offer|have|accept|sell|stock|carry|cover|provide|get|qualify|keep|receive|earn)\b"
    r"|\b(?:ships?|delivers?|is|are|comes?)\s+(?:for\s+)?free\b"
    r"|\bbut\s+(?:it|they|this|that)\s+(?:is|are|does|do|can|will|has|have)\b(?!\s+not\b|n't)",
    _I,
)

#: The reply says why the rule exists (its purpose), not merely that it exists.
REASON_CUES = re.compile(
    r"\bso\s+that\b(?!\s+(?:would|will|is|was|'s|means)\b)|\bso\s+(?:we|you|nobody|no\s+one|everyone|it|they)\s+(?:else\s+)?(?:can(?!'t|not)|could|get|don'?t"
    r"|never|always|are|know|have)\b|\bin\s+order\s+to\b|\b(?:is|are)\s+there\s+to\b|\bexists?\s+(?:so"
    r"|to|because)\b|\bprotects?\b|(?<!able\s)\bto\s+(?:protect|prevent|keep|make\s+sure|ensure|stop|avoid"
    r"|guarantee|verify|inspect|trace|check)\b|\bfor\s+(?:your\s+)?(?:privacy|security|safety"
    r"|protection)(?:\s+reasons)?\b|\bthe\s+reason\s+(?:is|being|for\s+(?:this|that|it))\b"
    r"|\bwhich\s+(?:means|is\s+(?:how|why|what))\b|\bthat\s+way\b|\bthis\s+(?:keeps|ensures|helps"
    r"|means|prevents|protects|lets)\b|\b(?:is|it'?s|that'?s)\s+how\s+(?:long\s+)?(?:we|accounts"
    r"|fraud)\b|\bkeeps?\s+(?:your|prices|it|the\s+price|costs?|everyone)\b"
    r"|\b(?:because|since)\b(?!\s+(?:of\s+)?(?:it'?s|that'?s|this\s+is|those\s+are)\s+(?:just\s+)?"
    r"(?:our|the|company)\s+(?:policy|rules?))(?=[^.!?;]{0,90}\b(?:can|could|need|needs|lets?|allows?|helps?|protects?|keeps?"
    r"|means|prevents?|ensures?|is\s+how|fraud|secur\w+|safe\w*|privacy|fair\w*|cost|prices?"
    r"|resell|inspect|everyone|other\s+customers|as\s+new|stolen|hold|reserve|trace|verify)\b)",
    _I,
)

#: A sentence that says no or sets a limit, however it is worded ("Repairs are chargeable now").
REFUSAL = re.compile(
    r"\b(?:no|never|nothing|none|unable|outside|beyond|missed|ended|expired|lapsed"
    r"|chargeable|limited|denied|declined|unfortunately|afraid|refuse\w*|unavailable|closed|cannot)\b|n't\b"
    r"|\bnon-\w+|\bout\s+of\s+(?:warranty|guarantee|contract|season|date)\b|\bfully\s+booked\b|\bsold\s+out\b|\bout\s+of\s+stock\b",
    _I,
)
#: Good news said with a negation: no cost, nothing needed, nothing lost or wrong.
_GOOD_NEWS = (
    r"(?:\b(?:no|zero|not\s+any|without(?:\s+any)?)|n'?t\s+(?:be\s+)?(?:any|a|an))\s+(?:\w+\s+){0,2}?"
    r"(?:fees?|charges?|costs?|penalt(?:y|ies)|catch|minimum|limits?|deposit|contract|commitment"
    r"|obligation|appointment|paperwork|risk|trouble|hassle|surcharge|interest|markup|outage|delay"
    r"|problem|issue|worries|rush|hold-?ups?|wait(?:ing)?|queues?|errors?|faults?|glitch|restrictions?"
    r"|difference|strings(?:\s+attached)?|extra\s+steps?)\b|\b(?:won'?t|will\s+not)\s+(?:need|have)\s+to\b"
    r"|\bnothing(?:'s|\s+has)\s+been\s+(?:charged|billed|taken|deducted|lost|changed)\b"
    r"|\bnothing\s+(?:else\s+|more\s+)?(?:you\s+need|for\s+you|you\s+have)\s+to\s+do\b"
    r"|\bnothing\s+(?:has|needs)\s+to\s+be\b|n'?t\s+need\b|\b(?:does|do|will)\s+not\s+need\b"
    r"|\b(?:no\s+one|nobody)\s+will\s+(?:call|contact|charge|bother|see|share)\b"
    r"|\b(?:weren'?t|were\s+not)\s+to\s+know\b|\bcouldn'?t\s+have\s+known\b"
    r"|\bno\s+\w+\s+(?:(?:is|are)\s+)?(?:needed|required|necessary)\b|\b(?:nothing|no\s+one|nobody)"
    r"(?:\s+(?:else|more|further))?(?:\s+is|'s)?\s+(?:needed|required|necessary|wrong|lost|missing)\b"
    r"|\b(?:isn'?t|aren'?t|is\s+not|are\s+not|not)\s+(?:needed|required|necessary)\b"
    r"|\b(?:is|are|was|were|has|have|had)(?:n'?t|\s+not)\s+(?:been\s+)?(?:yet\s+)?(?:lost|charged"
    r"|billed|affected|faulty|broken|damaged|wrong|sold\s+out|too\s+late|a\s+scam|deleted|missing"
    r"|cancell?ed|overdue|penali[sz]ed|suspended|locked|expired|missed|a\s+problem|an\s+issue)\b"
    r"|\b(?:won'?t|will\s+not)\s+(?:lose|affect|cost|charge|expire|go\s+up|increase|be\s+(?:charged"
    r"|billed|affected|lost|cancell?ed|penali[sz]ed|deleted))\b"
    r"|\b(?:don'?t|doesn'?t|do\s+not|does\s+not|never)\s+charge\b|\bdon'?t\s+see\s+any\b"
    r"|\byou(?:'re|\s+are)\s+(?:all\s+set|good\s+to\s+go|fine|covered|all\s+good)\b|\bfree\s+of\s+charge\b"
    r"|\bnothing\s+(?:more\s+|else\s+|extra\s+)?(?:for\s+you\s+)?to\s+(?:pay|worry\s+about|do\s+on\s+your\s+end)\b"
    r"|(?:\bnot|n'?t)\s+(?:be\s+|been\s+|going\s+to\s+(?:be\s+)?)?(?:charg(?:e|ed|ing)|bill(?:ed|ing)?)\b"
    r"|\bnothing\s+(?:\w+\s+){0,3}?(?:has|have|'s)\s+changed\b|\b(?:is|are)\s+(?:still\s+)?safe\b"
)
#: Hits inside good news are no refusal ("you won't be charged").
GOOD_NEWS = re.compile(_GOOD_NEWS, _I)
#: Negations that reassure rather than refuse ("no need to", "nothing to worry about").
REASSURANCE = re.compile(
    r"\bno\s+(?:need|problem|worries|fault\s+on\s+your|extra|charge|cost)\b|\bnot\s+(?:a\s+problem"
    r"|your\s+fault|to\s+worry)\b|\bnothing\s+to\s+worry\b|\bdon'?t\s+(?:worry|need|have\s+to)\b"
    r"|\bno\s+longer\s+need\b|\bnever\s+expires?\b|\bwon'?t\s+(?:be\s+)?charged?\b|\bwithout\s+"
    r"(?:any\s+)?(?:charge|cost)\b|n'?t\s+(?:done|do)\s+anything\s+wrong\b|\bcan'?t\s+wait\b|\bnot\s+only\b"
    r"|\bif\s+(?:it|you|that|the\s+\w+)\s+(?:still\s+)?(?:doesn'?t|don'?t|didn'?t|isn'?t|hasn'?t"
    r"|haven'?t|won'?t)\b|\bnot\s+the\s+\w+\b|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:so\s+|really\s+|very\s+"
    r"|truly\s+)?sorry\s+(?:that|the|your|to\s+hear|about|for)\b[^.!?]*?(?=,?\s+but\b|[.!?]|$)"
    + "|"
    r"\bnot\s+sure\b|" + _GOOD_NEWS,
    _I,
)
#: A sentence that opens with "No," and then reassures answers a question; it refuses nothing.
LEADING_NO = re.compile(r"^\s*no\s*[,.!-]\s*", _I)
#: Acknowledgement sentences ("I'm sorry the tracking hasn't moved") are not refusals, unless "but".
ACKNOWLEDGEMENT = re.compile(
    r"^(?!.*\b(?:but|however|though|although)\b).*\b(?:sorry|understand|hear\s+you|appreciate"
    r"|thanks?|thank\s+you|frustrat\w*|worr\w+|awful|no\s+fun|right\s+to\s+be|apologi[sz]e)\b",
    _I | re.DOTALL,
)
