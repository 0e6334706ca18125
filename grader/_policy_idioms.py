"""More curt constructions: the ways a reply closes a door without the usual words.

`grader._policy_patterns` holds the main families; these add the constructions fresh drafts
showed it missed, each written over a construction rather than a sentence: disclaiming the
decision ("not up to me", "that comes from head office"), repeating oneself ("I've told you
twice"), the counterfactual ("had you updated the app"), "it's a question for the X",
"those are the terms", "the fee stands", "nothing we can credit", "what the system says".
"""

from __future__ import annotations

__all__ = ["IDIOMS"]

_WE = r"(?:i|we)"
_OTHERS = (
    r"(?:the|your)\s+(?:\w+\s+)?(?:carrier|courier|bank|airline|manufacturer|maker|seller|vendor"
    r"|merchant|retailer|store|shop|branch|restaurant|hotel|landlord|provider|insurer|issuer"
    r"|post\s+office|council|employer|supplier|dealer|dealership|garage|pharmacy|school|agency"
    r"|department|team|office|company|brand|network|operator|broker|helpline|hotline)"
)
_UPSTAIRS = (
    r"(?:head\s+office|management|corporate|upstairs|above|headquarters|hq|the\s+top|higher\s+up"
    r"|my\s+(?:manager|supervisor|boss)|the\s+(?:board|owners?))"
)
_BURDEN_VERBS = (
    r"(?:do|change|offer|credit|refund|give|say|tell|add|fix|waive|arrange|provide|suggest"
    r"|recommend|help|compensate|reimburse|promise|guarantee|approve|authori[sz]e)"
)

#: (kind, pattern, why it hurts), appended to `PATTERNS`.
IDIOMS: tuple[tuple[str, str, str], ...] = (
    (
        "no_responsibility",
        r"\bnot\s+(?:really\s+)?up\s+to\s+(?:me|us)\b|\b(?:above|beyond)\s+my\s+pay\s*grade\b"
        r"|\bnot\s+(?:my|our)\s+(?:decision|choice|rules?)\b|\b(?:i|we)\s+(?:just|only)\s+work\s+here\b"
        rf"|\b{_WE}\s+(?:don'?t|do\s+not)\s+(?:set|make|decide|choose|control|write)\s+(?:the\s+)?"
        r"(?:prices?|rules|polic(?:y|ies)|fees?|rates?|terms)\b"
        rf"|\b(?:comes?|came|decided|set|made|handed\s+down)\s+(?:from|by)\s+{_UPSTAIRS}\b"
        r"|\b(?:my|our)\s+hands\s+are\s+(?:\w+\s+)?tied\b|\bwe\s+(?:aren'?t|are\s+not)\s+the\s+ones\b"
        r"|\bnot\s+the\s+right\s+(?:person|team|department|place|people)\b|\bwrong\s+department\b"
        r"|\b(?:outside|out\s+of)\s+(?:of\s+)?(?:our|my)\s+(?:control|hands|remit)\b"
        r"|\b(?:i|we)\s+(?:don'?t|do\s+not)\s+have\s+(?:the\s+)?(?:access|authority|ability|power"
        r"|permission|tools?|rights?)\b|\b(?:we'?re|we\s+are)\s+(?:just|only)\s+(?:a|an|the)\s+(?:\w+\s+)?"
        r"(?:agent|platform|middleman|reseller|marketplace|broker|intermediary|retailer)\b"
        rf"|\b{_WE}\s*(?:'re|'m|are|am)?\s*(?:not|n'?t)\s+(?:obliged|obligated|required|bound"
        r"|under\s+(?:any\s+)?obligation)\s+to\b"
        r"|\b(?:working|functioning|behaving|operating)\s+(?:as\s+(?:intended|designed|expected)|correctly"
        r"|properly|normally)(?:\s+on\s+our\s+(?:side|end))?\s*(?=[.!]|$)"
        r"|\bdone\s+(?:our|my)\s+(?:part|bit|job)\b|\bthe\s+rest\s+is\s+(?:up\s+to|down\s+to|on)\b"
        r"|\b(?:(?:i|we)(?:'ve|\s+have)\s+been\s+)?(?:told|instructed|asked|advised)\s+not\s+to\b"
        r"|\b(?:above|beyond|more\s+than)\s+what\s+(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:allowed|able"
        r"|authori[sz]ed|permitted)\s+to\b"
        r"|\b(?:delay|problem|issue|hold-?up|fault)\s+(?:is|lies|must\s+be)\s+with\s+(?:your|the)\b"
        r"|\bnot\s+the\s+(?:one|ones|person|people)\s+who\s+(?:sets?|makes?|decides?|chooses?|controls?|writes?)\b"
        r"|\bnot\s+with\s+us\b|\b(?:have|has)\s+no\s+(?:say|control|influence)\s+(?:over|in)\b",
        "denies responsibility instead of owning the next step",
    ),
    (
        "no_responsibility",
        r"\b(?:it'?s|it\s+is|that'?s|that\s+is|it\s+was)\s+(?:their|his|her)\s+(?:responsibility|problem"
        r"|fault|job|call|decision)\b|\b(?:don'?t|do\s+not|can'?t|cannot|won'?t)\s+(?:get\s+involved"
        r"|intervene|interfere|step\s+in|take\s+sides|mediate)\b"
        r"|\b(?:from|on)\s+our\s+(?:side|end),?\s+(?:the|your|it|this|everything)\s+(?:\w+\s+)?(?:is|was"
        r"|has\s+been|looks)\s+(?:complete|done|closed|fine|finished|correct|resolved)\b",
        "denies responsibility instead of owning the next step",
    ),
    (
        "deflection",
        r"\b(?:question|matter|issue|one|query|problem|thing)\s+for\s+(?:the|your|them|their|(?-i:[A-Z])\w+)\b"
        r"|\b(?:that'?s|that\s+is|it'?s|it\s+is)\s+(?:really|more|just|simply)\s+(?:between\s+you\s+and"
        r"|up\s+to|a\s+matter\s+for|an\s+issue\s+for|something\s+for)\s+(?:the|your|them)\b"
        r"|\b(?:complaints?|claims?|questions?|queries|requests?|issues?|disputes?)\s+(?:should|must"
        r"|need\s+to|have\s+to|would\s+need\s+to)\s+(?:go|be\s+(?:sent|directed|made|raised|addressed"
        r"|taken))\s+(?:to|with|up\s+with)\b"
        r"|\b(?:team|department|office|desk)\s+(?:handles?|deals?\s+with|looks?\s+after|takes?\s+care\s+of"
        r"|is\s+responsible\s+for)\s+(?:all\s+)?(?:\w+\s+)?(?:claims|complaints|queries|requests|refunds"
        r"|returns|cases|issues|matters)\b|\b(?:has|have|need|needs)\s+to\s+go\s+through\s+(?:the|your|them)\b"
        r"|\btry\s+(?:again\s+)?(?:later|next\s+(?:week|month|year|time)|another\s+(?:time|day))\b"
        r"|\b(?:should|must|needs?\s+to|ha(?:ve|s)\s+to|will\s+need\s+to|would\s+need\s+to)\s+(?:be\s+)?"
        r"(?:raised|sent|directed|made|addressed|taken(?:\s+up)?)\s+(?:to|with)\s+(?:the|your|them|their)\b"
        r"|\byou(?:'ll|\s+will)?\s+(?:need|have)\s+to\s+(?:come\s+back|try\s+again|call\s+(?:back|again)"
        r"|wait\s+until)\b"
        r"|\b(?:is|are|'s)\s+(?:now\s+|really\s+)?(?:between\s+you\s+and|up\s+to\s+(?:the|your|them))\b"
        r"|\b(?:file|lodge|raise|make|submit|open)\s+(?:a\s+|the\s+)?(?:claim|complaint|dispute|case|ticket"
        r"|report)\s+(?:directly\s+)?with\s+(?:them|the|your)\b"
        r"|\b(?:forwarded|passed|sent|referred|escalated)\s+(?:on\s+)?to\s+the\s+(?:relevant|appropriate|right"
        r"|correct|responsible)\s+(?:department|team|people|person|party)\b"
        r"|\b(?:is|are)\s+a\s+separate\s+(?:company|business|entity|organi[sz]ation|firm)\b"
        r"|\b(?:issue|problem|complaint|dispute|quarrel)\s+is\s+with\s+(?:the|your|them)\b"
        r"|\b(?:direct|send|address|forward|submit|raise)\s+(?:all\s+|any\s+|your\s+)?(?:\w+\s+)?"
        r"(?:queries|questions|complaints|claims|requests|issues|concerns)\s+to\b"
        rf"|\b(?:go\s+(?:back\s+)?to|head\s+(?:back\s+)?to|visit|phone|ring|write\s+to|pop\s+into)\s+{_OTHERS}",
        "sends the customer elsewhere instead of helping",
    ),
    (
        "dismissal",
        r"\balready\s+(?:gone\s+over|been\s+over|been\s+through|discussed|covered|addressed)\b"
        r"|\btold\s+you\s+(?:twice|already|before|three\s+times|several\s+times|multiple\s+times)\b"
        r"|\bfor\s+the\s+(?:last|third|second|final|hundredth)\s+time\b"
        r"|\b(?:the|my|our)\s+answer\s+(?:hasn'?t|has\s+not|won'?t|will\s+not|isn'?t\s+going\s+to"
        r"|is\s+not\s+going\s+to|doesn'?t|does\s+not)\s+change\b"
        r"|\b(?:the|my|our)\s+answer\s+is\s+(?:still\s+)?the\s+same\b|\bwhatever\s+the\s+reason\b"
        r"|\b(?:refrain|desist)\s+from\b"
        r"|\bstop\s+(?:contacting|calling|emailing|messaging|writing\s+to|chasing)\s+(?:us|me)\b"
        r"|\b(?:don'?t|do\s+not)\s+(?:contact|call|email|message|ask)\s+(?:us\s+|me\s+)?again\b"
        r"|\b(?:your|the|this)\s+(?:complaint|feedback|concern|comments?|matter|case|issue|query)\s+"
        r"(?:has\s+been|is|was)\s+(?:duly\s+|now\s+)?(?:noted|closed|logged)(?=\s*(?:[.!]|$))"
        r"|\b(?:consider|deem|regard)\s+(?:this|the)\s+(?:matter|case|complaint|issue|ticket)\s+"
        r"(?:as\s+)?(?:resolved|closed|settled)\b"
        r"|\bdon'?t\s+know\s+what\s+(?:else|more)\s+to\s+(?:tell|say)\b",
        "dismisses the customer",
    ),
    (
        "dismissal",
        r"\b(?:explained|told\s+you|said|answered)\s+(?:this|that|it)?\s*(?:to\s+you\s+)?(?:twice"
        r"|already|before|(?:two|three|four|five|several|multiple|many|\d+)\s+times)\b"
        r"|\bif\s+you(?:'re|\s+are)\s+not\s+(?:happy|satisfied|pleased)\b[^.!?]*\b(?:free|welcome)\s+to\b"
        r"|\b(?:go|shop|look|take\s+your\s+business)\s+elsewhere\b"
        r"|\bthere'?s\s+not\s+much\s+(?:else|more)\b|\bnot\s+much\s+(?:else|more)\s+(?:to|i|we)\b",
        "dismisses the customer",
    ),
    (
        "rules_are_rules",
        r"\b(?:those|these)\s+are\s+(?:the|our)\s+(?:terms|rules|conditions|prices?)\b"
        r"|\b(?:that'?s|that\s+is)\s+(?:just\s+|simply\s+)?(?:the|our)\s+(?:price|rate|fee|charge|rule)"
        r"(?=\s*(?:,\s*(?:i'?m\s+afraid|sorry|unfortunately)\s*)?(?:[.!]|$))"
        r"|\b(?:the|this|that|our|my|your)\s+(?:fee|charge|price|decision|rate|penalty|answer|bill"
        r"|invoice|rule|ruling|fine|position|stance|outcome|view)\s+(?:still\s+)?(?:stands|remains\s+(?:in\s+place"
        r"|unchanged|the\s+same)|is\s+unchanged|stays\s+the\s+same"
        r"|is\s+final)\b"
        r"|\bappl(?:y|ies)\s+to\s+(?:everyone|everybody|all\s+(?:customers|members|guests|users"
        r"|clients|passengers))\b|\bthe\s+same\s+for\s+(?:everyone|everybody)\b"
        r"|\blike\s+everybody\s+else\b|\b(?:all\s+)?sales?\s+(?:are|is)\s+final\b"
        r"|\bhow\s+(?:it|the\s+\w+|they)\s+(?:is|are|was|were)\s+(?:designed|made|built|meant\s+to\s+\w+)\b"
        r"|\b([a-z]{3,}(?:\s+[a-z]{3,})?)\s+(?:is|are|means)\s+\1\b"
        r"|\b(?:do|did|make|made)\s+(?:it|this|that|one|an\s+exception)\s+for\s+(?:you|one\s+\w+)\b[^.!?]*"
        r"\b(?:everyone|everybody|all)\b|\bset(?:ting)?\s+a\s+precedent\b|\bnot\s+just\s+you\b"
        r"|\bthink\s+of\s+all\s+(?:our|the|of\s+our)\s+(?:customers|members|guests|clients|users)\b"
        r"|\b(?:been\s+(?:that|this)\s+way|been\s+like\s+(?:that|this))\s+for\s+(?:years|ages|a\s+long\s+time)\b"
        r"|\b(?:that'?s|this\s+is|it'?s)\s+(?:just\s+|simply\s+)?(?:the\s+way|how)\s+(?:our\s+|the\s+)?\w+"
        r"(?:\s+\w+)?\s+works?\b"
        r"|\bnot\s+how\s+(?:we|things)\s+(?:do\s+things|work)\b|\bnot\s+how\s+(?:\w+\s+){0,2}?works?\b"
        r"|\b(?:that'?s|this\s+is)\s+(?:the\s+)?(?:best|most)\s+(?:i|we)\s+can\s+(?:do|offer)\s*(?=[.!]|$)",
        "rigid rule-following instead of judgement",
    ),
    (
        "blame_customer",
        r"(?:^|[.!?,;]\s*)had\s+you\s+(?:\w+ly\s+)?(?:\w+ed|read|paid|done|kept|sent|chosen|taken"
        r"|made|bought|told|given|written|seen)\b|\bif\s+you\s+had\s+(?:\w+ly\s+)?\w+ed\b"
        r"|\bif\s+you'?d\s+(?:only\s+|just\s+)?(?:done|kept|sent|chosen|taken|made|bought|told)\b"
        r"|\bwouldn'?t\s+have\s+(?:happened|been\s+(?:a|an)\s+(?:problem|issue))\s+if\s+you\b"
        r"|\b(?:have|did)\s+you\s+(?:even\s+)?(?:tried\s+)?read(?:ing)?\s+(?:the|our)\s+(?:\w+\s+)?"
        r"(?:manual|instructions|terms|faq|description|listing|email|policy|guide|fine\s+print"
        r"|conditions|details|page)\b"
        r"|\b(?:it'?s|it\s+is|that'?s|that\s+is|the\s+(?:problem|issue|fault)\s+is)\s+(?:with\s+)?your\s+\w+"
        r"(?:\s+\w+)?,?\s+not\s+(?:our|the|us|with\s+us)\b"
        r"|\b(?:nobody|no\s+one)\s+else\s+(?:has|have|had)\s+(?:had|reported|complained|mentioned)\b"
        r"|\byou'?re\s+the\s+(?:only|first)\s+(?:one|person|customer)\s+(?:to|who)\s+(?:complain|report|have"
        r"|has|had|mention)|\bno\s+other\s+(?:customers?\s+(?:has|have)|complaints?|reports?)\b"
        r"|\b(?:we|i)\s+(?:did\s+)?warn(?:ed)?\s+you\b"
        r"|\byou\s+(?:really\s+)?should\s+(?:be\s+(?:reading|checking|paying\s+attention)|know\s+(?:that|this|by\s+now))\b"
        r"|\byou\s+(?:ticked|checked|clicked|selected)\s+(?:the\s+)?(?:box|button|option)\b"
        r"|\b(?:ask|advise|remind|urge|encourage)\s+you\s+to\s+(?:re-?)?read\b"
        r"|\bthe\s+terms\s+you\s+(?:accepted|agreed\s+to|signed)\b"
        r"|\b(?:clearly|plainly|explicitly)\s+(?:states?|says|stated|shows?|shown|written|listed"
        r"|displayed|marked|labell?ed)\b",
        "blames the customer",
    ),
    (
        "nothing_to_do",
        r"\b(?:nothing|not\s+much|little)\s+(?:else\s+|more\s+|further\s+)?(?:that\s+)?(?:i|we)\s+"
        rf"(?:can|could)\s+(?:\w+\s+)?{_BURDEN_VERBS}\b"
        r"|(?:\bnot|n'?t)\s+(?:something|anything)\s+(?:that\s+)?(?:i|we|our\s+\w+|the\s+\w+|they)(?:'re|'m|\s+are|\s+am)?\s+"
        r"(?:(?:able\s+to|can|could|will|would)\s+)?\w+"
        r"|\b(?:something|anything)\s+(?:that\s+)?(?:i|we)\s+(?:can'?t|cannot|can\s+not|don'?t|do\s+not)\s+"
        r"(?:do|offer|allow|support|provide|accept|handle|cover|sell|stock|carry|change|give|refund"
        r"|exchange|ship|deliver|arrange|waive|process)\b"
        r"|\b(?:done|tried)\s+(?:all|everything|what)\s+(?:i|we)\s+(?:can|could)\b"
        r"|\bnext\s+time,?\s+(?:please\s+)?(?:make\s+sure|be\s+sure|remember\s+to|try\s+to|be\s+more"
        r"|double-?check|read)\b|\b(?:try|be)\s+(?:being\s+)?more\s+careful\b"
        r"|\bwait\s+(?:\w+\s+){0,3}(?:before|until)\s+(?:contacting|calling|emailing|chasing|writing)\b"
        r"|\b(?:\w+ed\s+(?:this|it)\s+)?as\s+far\s+as\s+(?:it|i|we)\s+can\s+go\b|\bas\s+long\s+as\s+it\s+takes\b"
        r"|\bat\s+some\s+point\b|\bwhenever\s+(?:they|we|someone)\s+(?:can|are\s+able|get\s+(?:a\s+)?(?:chance|round))\b"
        r"|\b(?:we|i)\s+(?:don'?t|do\s+not)\s+(?:know|have\s+(?:a|an|any)\s+(?:date|timeline|eta|idea))\s+when\b"
        r"|\bplease\s+be\s+patient\b|\bwhen\s+it'?s\s+(?:done|ready)\b",
        "closes the door without offering an alternative",
    ),
    (
        "system_says_no",
        r"\b(?:says?|said|shows?|showed)\s+no\b(?!\s+to\b)"
        r"|\b(?:go|going|went)\s+by\s+what\s+(?:the|my|our)\s+(?:system|screen|computer|records?)\s+"
        r"(?:says|shows)\b|\bwhat'?s\s+(?:on|in)\s+(?:my|the)\s+(?:screen|system)\b"
        r"|\bwhat\s+it\s+says\s+(?:on|in)\s+(?:my|the)\s+(?:screen|system|notes|records?)\b"
        r"|\boverride\s+(?:the|what\s+the)\s+(?:system|computer)\b"
        r"|\b(?:system|computer)\s+(?:won'?t|will\s+not|isn'?t\s+letting|is\s+not\s+letting)\s+me\b",
        "hides behind the system",
    ),
    (
        "bare_refusal",
        rf"\b{_WE}\s*(?:'re|'m|are|am)?\s*(?:not|n'?t)\s+in\s+a\s+position\s+to\b"
        rf"|\b{_WE}\s+(?:don'?t|do\s+not)\s+(?:negotiate|discount|budge|reimburse|compensate|guarantee"
        r"|reserve|hold|stock|carry|transfer|extend|waive|reopen|reinstate|backdate|permit)\b"
        rf"|\b{_WE}\s+(?:don'?t|do\s+not|won'?t|will\s+not)\s+(?:be\s+)?(?!know|think|see|mind|need|have\s+to"
        r"|worry|charge|expect|believe|recommend|want\s+you|blame|often|usually|normally|always|just|only"
        r"|forget|stop|rest|give\s+up|let\s+you\s+down|hesitate|judge|take\s+long|be\s+long|long)\w+"
        r"|\bwe\s+only\s+(?!need|take|ask|charge|use|want|have|found|just|recently)\w+"
        rf"|\b{_WE}\s+can\s+only\s+(?:tell|say|do|offer|go\s+by|see|give)\b"
        r"|\b(?:for|to|in|on)\s+(?:\w+\s+){0,2}\w+\s+only\s*(?:[.!,;]|$)"
        r"|\b(?:window|period|deadline|offer|promotion|promo|sale|deal|cut-?off|warranty|guarantee|trial"
        r"|discount)\s+(?:has\s+|had\s+|was\s+)?(?:already\s+)?(?:closed|ended|expired|passed|lapsed"
        r"|finished|over|run\s+out)\b|\bas\s+a\s+(?:general\s+)?rule\b"
        r"|\bnot\s+(?:company|our|standard|normal|usual)\s+(?:practice|policy|procedure)\s+to\b"
        r"|\b(?:standard|normal|common|usual)\s+(?:practice\s+)?(?:across|in|throughout)\s+the\s+industry\b"
        r"|\bindustry\s+(?:standard|practice|norm)\b|\ball\s+(?:airlines|banks|retailers|companies|providers"
        r"|insurers|hotels|shops|stores|networks|carriers)\s+(?:do|charge|have|work)\b"
        r"|\bnot\s+sure\s+(?:that'?s|that\s+is|it'?s|we\s+can|we\s+could|i\s+can|i\s+could)\b"
        r"|\b(?:the|our)\s+\w+\s+(?:does\s+not|doesn'?t|do\s+not|don'?t|won'?t|will\s+not)\s+(?:give|offer"
        r"|provide|accept|allow|permit|refund|issue|ship|deliver|cover|do|release|share|take|process"
        r"|exchange|replace|honou?r|carry|stock)\b"
        r"|\b(?:is|are)\s+(?:strictly\s+)?(?:confidential|classified|restricted|internal\s+only)\b"
        r"|(?:^|[.!?]\s+)only\s+\w+(?:\s+\w+)?\s+(?:are|is|can|may|will|get)\b"
        r"|(?:^|[,.;!?]\s*)(?:cannot|can'?t|unable\s+to)\s+\w+"
        r"|\b(?:this|that|it)(?:'s|\s+is)\s+(?:a\s+|the\s+)?(?:company|store|house)\s+(?:rules?|procedure"
        r"|protocol)\b"
        r"|\byou(?:'ve|\s+have)\s+(?:already\s+)?(?:exceeded|reached|used\s+up|hit)\s+(?:the|your)\s+(?:\w+\s+){0,3}?"
        r"(?:limit|maximum|allowance|number|quota)\b"
        r"|\b(?:is|are)\s+(?:only\s+)?(?:reserved|exclusive|restricted)\s+(?:for|to)\b"
        r"|\bonly\s+the\s+(?:account\s*holder|card\s*holder|policy\s*holder|owner|purchaser|buyer"
        r"|registered\s+\w+|lead\s+\w+)\s+(?:can|may)\b",
        "says no without the reason or what can be done",
    ),
)
