"""Cue patterns of customer-service conduct, shared by the detector judges.

General lexicons of what agents do in any industry (apologise, thank, take an action, state a
time, refuse, offer an alternative), not phrases of any particular conversation. Each is one
compiled pattern; `has(cue, text)` and `count(cue, text)` are all a judge needs.
"""

from __future__ import annotations

import re

__all__ = ["CUES", "count", "has", "words"]

_I = re.IGNORECASE
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|business days?|working days?|weeks?|months?)"

CUES: dict[str, re.Pattern[str]] = {
    "apology": re.compile(r"\b(?:sorry|apologi[sz]e|apologies|my apologies|regret)\b", _I),
    "thanks": re.compile(r"\b(?:thank(?:s| you)|thx|ty|appreciate)\b", _I),
    "greeting": re.compile(
        r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b", _I
    ),
    "please": re.compile(r"\bplease\b|\bwould you (?:mind|like)\b|\bcould you\b", _I),
    "warm_close": re.compile(
        r"\b(?:have a (?:great|good|nice|lovely|wonderful)|enjoy|take care|happy to help|"
        r"my pleasure|you'?re (?:very )?welcome|glad (?:i|we) could|hope (?:this|that|you|the|your))\b",
        _I,
    ),
    "feeling": re.compile(
        r"\b(?:frustrat\w*|stress\w*|upset\w*|disappoint\w*|annoy\w*|worr\w*|inconvenien\w*|"
        r"hassle|concern\w*|anxious|nervous|scar(?:y|ed)|afraid|griev\w*|loss|sad|awful|"
        r"not okay|not ok|unacceptable|natural|understandabl[ey]|(?:right|reason) to be|"
        r"exhausting|overwhelming|nightmare|horrible|miserable|worrying|upsetting|"
        r"must (?:be|feel)|can imagine|hear that|sorry (?:about|for|to hear)|a lot to|"
        r"(?:is|that'?s|it'?s|can be|must be) (?:really |so |very |incredibly |genuinely |such )?"
        r"(?:a lot|a big step|tough|hard|rough|difficult|no fun|the last thing|scary|draining)|"
        r"(?:a|such a) (?:long|hard|tough|stressful|worrying|difficult|anxious) (?:time|wait|week|"
        r"few days|day)|no wonder you|in your (?:shoes|position)|not knowing|oh no|poor (?:thing|you)|"
        r"i know how (?:much|important|hard|stressful|worrying)|means (?:so much|a lot)|"
        r"(?:stuck|alone|unwell|poorly) in (?:hospital|bed)|you'?re not (?:stupid|silly|alone|"
        r"the first|to blame)|it happens to|(?:isn'?t|not) your fault|you did the right thing|"
        r"(?:an )?easy mistake|anyone could|(?:sounds|looks) (?:really |so |very )?(?:frightening|"
        r"scary|awful|horrible|terrifying|stressful|upsetting|worrying|exhausting|hard|tough|"
        r"difficult|distressing|frustrating)|(?:you'?re|you are) (?:dealing with|going through)|"
        # what the thing means to them: condolence, "not just a watch", "I get why you're calling"
        r"condolence\w*|sorry for your loss|(?:so|very|truly|deeply|really) sorry to hear|"
        r"not just (?:a|an|any) \w+|i (?:completely |totally |really |fully )?get (?:why|how)|"
        # their circumstance named back: alone, at night, their loss, their big day
        r"sympath\w+|(?:a great deal|so much|a lot) to (?:face|deal with|cope with|handle|take in)|"
        r"(?:shouldn'?t|should not|don'?t|won'?t|will not|do not|no ?(?:one|body) should) (?:\w+ ){0,5}"
        r"(?:alone|on (?:your|their) own|by (?:yourself|themselves))|"
        r"(?:get|have|grab) some (?:sleep|rest)|good luck (?:to|with|for|on)|"
        r"(?:middle of the night|this time of night|at this hour)|"
        # their situation appraised: "that must have been frightening", "really bad timing"
        r"(?:that|this) must(?: have|'ve) been (?:really |so |very |quite |such )?(?:a (?:real )?)?"
        r"(?:\w+(?:ing|ful|ible|y)|shock|scare|tough|hard|rough|worry)|"
        r"(?:bad|awful|terrible|horrible|rotten|cruel|unlucky|worst(?: possible)?) timing|"
        r"glad (?:that )?(?:you|everyone|they)(?:'re| are)?\b[^.!?]{0,30}\b(?:okay|ok|safe|alright|"
        r"all right|unhurt|fine)|what a (?:shock|fright|worry|pain|nightmare|scare))\b",
        _I,
    ),
    "generic_ack": re.compile(
        r"\b(?:i (?:completely |totally |fully )?understand|i see|i hear you|noted|got it)\b", _I
    ),
    "emotion": re.compile(
        r"\b(?:nervous|worried|worry|scared|afraid|anxious|stress\w*|upset|angry|furious|"
        r"frustrat\w*|disappoint\w*|devastat\w*|griev\w*|passed away|died|funeral|"
        r"panic\w*|desperate|fed up|sick of|unacceptable|ridiculous|terrible|awful|"
        r"first time|alone|urgent\w*|asap|wedding|birthday|emergency|hospital)\b",
        _I,
    ),
    "problem": re.compile(
        r"\b(?:broke|broken|lost|missing|never (?:arrived|came|showed)|nobody (?:came|called)|"
        r"still (?:no|nothing|not|waiting)|wrong|damaged|deleted|failed|fail(?:s|ing)|"
        r"not working|doesn'?t work|won'?t (?:work|let|start|turn)|stopped|error|"
        r"charged (?:twice|double)|double[- ]charged|late|delayed|cancel+ed|declined|"
        r"dropp(?:ed|ing)|crash\w*|leak\w*|cracked|faulty|defective|overcharged|"
        # sent something other than what was ordered
        r"not what i ordered|instead of (?:the|my|a|an)|"
        r"i ordered\b[^.?!]*\b(?:and|but) (?:i )?(?:received|got)|(?:received|got|sent) the wrong)\b",
        _I,
    ),
    "already_said": re.compile(
        r"\b(?:(?:as|like) i (?:said|mentioned|wrote|explained|put)|i (?:already|just) (?:said|told|gave|sent|"
        r"explained)|i just told|it'?s in my (?:first|last|previous|earlier) (?:email|message)|"
        r"i (?:explained|told you|gave you|sent you|wrote) (?:it |this |that |you )?(?:all|everything)|"
        r"(?:in|on) my (?:first|last|previous|earlier|original) (?:email|message|call|chat|letter)|"
        r"like i said|again\?|for the (?:second|third) time)\b",
        _I,
    ),
    "hold": re.compile(
        r"\b(?:(?:put|place|pop|putting|placing|popping) you on (?:a )?(?:short |brief |quick )?"
        r"hold|bear with me|one (?:moment|sec(?:ond)?)|just a (?:sec\w*|moment|minute|mo)|"
        r"give me (?:a|one|two) (?:minute|moment|sec\w*)|hang on|hold on|(?:may|might|will) take "
        r"(?:me )?(?:about |around )?(?:a|one|two|\d+) (?:minutes?|moment)|(?:let me|i'?ll) "
        r"(?:just )?(?:quickly )?(?:check|look into|have a look|find out)|(?:i'?ll|let me) "
        r"(?:put|transfer|connect) you (?:through|over|to)|(?:i'?ll )?be (?:right )?back (?:with you )?"
        r"(?:shortly|in (?:a|one|two|a few|\d+) (?:minutes?|moments?|secs?))|(?:i'?ll )?be right back|"
        r"won'?t be (?:a moment|long)|back (?:to|with) you (?:shortly|in a (?:minute|moment|sec)))\b",
        _I,
    ),
    "hold_thanks": re.compile(
        r"\bthank(?:s| you) for (?:holding|waiting|your patience|bearing with)\b", _I
    ),
    "left_waiting": re.compile(
        r"\b(?:(?:are you|is anyone|anybody|anyone) (?:still )?there|hello\?+|still waiting|"
        r"been waiting|how (?:much )?longer|waited (?:for )?(?:ages|hours|days|\d+)|"
        r"(?:been|got) cut off|about to hang up|^\W*finally\b)",
        _I,
    ),
    "dismissal": re.compile(
        r"\b(?:closing (?:this|the) (?:chat|ticket|case|conversation)|(?:this|the|your) (?:ticket|"
        r"chat|case) (?:is|has been|will be) (?:now )?closed|we(?:'re| are) (?:very |too )?busy|"
        r"i have other customers|nothing more (?:i|we) can)\b",
        _I,
    ),
    "slang": re.compile(
        r"\b(?:lol|lmao|rofl|tbh|ngl|omg|idk|smh|wtf|gonna|wanna|gotta|kinda|sorta|dude|bro|"
        r"rubbish|sucks|meh|nah|ya|yep|nope|cos|cuz|flick on|stuff like that)\b",
        _I,
    ),
    "sarcasm": re.compile(
        r"\b(?:shocking,? i know|surprise,? surprise|good luck with that|big surprise|genius|"
        r"congrat\w* on|i know,? right|obviously|clearly you|as if|not rocket science|"
        r"you do realise|you do realize|(?:was|is|were|are)(?:n'?t| not) (?:exactly|really) (?:a "
        r"(?:surprise|secret|shock|mystery)|news|hidden|unexpected))\b|[\U0001F643\U0001F644\U0001F612"
        r"\U0001F60F\U0001F937]",
        _I,
    ),
    "refusal": re.compile(
        r"\b(?:can'?t|cannot|can not|unable to|won'?t be able|not (?:able|possible|available|"
        r"allowed|eligible|covered|permitted)|(?:is|are|was|were)n'?t (?:possible|available|eligible|"
        r"covered|allowed|permitted)|"
        r"no longer|(?:outside|past|beyond) (?:of )?(?:our|the|your)|"
        # our limit ("we only accept", "can only be issued"), not a carrier's ("carriers only
        # accept a trace from us")
        r"(?:(?:we|i|can|will|could|may|is|are)\s+only|only\s+be)\s+(?:be\s+)?(?:issue|offer|"
        r"accept|send|allow|refund|process)\w*|(?:do|does|don'?t|doesn'?t) not? (?:offer|allow|"
        r"accept|cover)|not something we|we don'?t do|denied|declined|refused|refusal"
        # the agent refusing, not "refuse the delivery" offered to the customer
        r"|(?:i|we)\s+(?:must\s+|have\s+to\s+|'d\s+have\s+to\s+)?refuse)\b",
        _I,
    ),
    "reason": re.compile(
        r"\b(?:because|since|so that|in order to|the reason|this is (?:to|so)|which means|due to|"
        r"that'?s why|which is why|otherwise|to (?:protect|keep|make sure|ensure|prevent))\b",
        _I,
    ),
    "alternative": re.compile(
        r"\b(?:you (?:can|could|may)|i can|we can|i could|we could|options?|instead|"
        r"alternative\w*|what i can do|what we can do|how about|would you (?:like|prefer)|"
        r"happy to|here'?s what|one thing (?:i|we) can|the good news|good news|"
        r"(?:can|could) (?:still |also )?be (?:arranged|done|booked|requested|made|changed|moved|"
        r"sorted|collected|claimed)|(?:you'?re|you are) (?:very |more than )?welcome to|"
        r"there(?:'s| is) (?:a|another|one) (?:good |simple |quick |better |easy )?way|"
        r"the (?:best|quickest|easiest|simplest) way)\b",
        _I,
    ),
    "exception": re.compile(
        r"\b(?:exception|approved?|waiv\w+|goodwill|this (?:one )?time|on us|as a courtesy|"
        r"make it right|override|bend|special(?:ly)? arrange\w*)\b",
        _I,
    ),
    "action_done": re.compile(
        r"\b(?:i|we)(?:'ve| have| just| already|'ve just|'ve already| have just)?\s+(?:\w+ly\s+)?"
        r"(?:checked|looked (?:into|at|up)|pulled up|shipped|sent|issued|voided|refunded|reserved|"
        r"emailed|added|approved|confirmed|set up|arranged|upgraded|escalated|put|opened|fixed|"
        r"processed|credited|reported|noted|updated|cancel+ed|replaced|contacted|called|booked|"
        r"flagged|applied|reset|restored|resolved|created|filed|submitted|expedited|rerouted|"
        r"re-routed|shared|passed|forwarded|verified|found)\b",
        _I,
    ),
    # repair under way, said in the present ("I'm restoring it now", "that's done")
    "acting": re.compile(
        r"\b(?:(?:i'?m|i am|we'?re|we are) (?:now |just |also |going to be )?(?:restoring|refunding|"
        r"moving|sending|booking|rebooking|fixing|replacing|crediting|upgrading|arranging|processing|"
        r"resetting|reinstating|switching|issuing|adding|applying|escalating|reopening|waiving|"
        r"recovering|reversing|removing)|(?:i|we)(?:'ve| have) (?:\w+ )?(?:switched|turned|restored|"
        r"reinstated|rebooked|moved|waived|reversed|removed|recovered)|(?:that'?s|it'?s) (?:all )?"
        r"(?:done|sorted|fixed|back))\b",
        _I,
    ),
    "commitment": re.compile(
        r"\b(?:i|we)(?:'ll| will| am going to|'m going to)\s+(?:\w+ly\s+)?"
        r"(?:make sure|follow up|call|email|send|fix|take care|own|check|keep|watch|monitor|"
        r"update|contact|ship|refund|arrange|handle|get|look|personally|sort|replace|credit|text|dm)\b",
        _I,
    ),
    "deflection": re.compile(
        r"\b(?:you(?:'ll)? (?:need|have|will need|must) to (?:contact|call|reach out|wait|check|go|"
        r"visit|open|file|ask|email|create|try)|(?:check|see|visit) (?:our|the) (?:website|site|faq|"
        r"help (?:center|centre)|page)|contact (?:the|your) (?:carrier|bank|manufacturer|seller|"
        r"provider|courier)|(?:that'?s|it'?s) (?:up to|with) (?:the|your)|not (?:something )?"
        r"(?:we|i) (?:handle|deal with|control)|nothing (?:i|we) can do|out of (?:my|our) hands)\b",
        _I,
    ),
    "time_concrete": re.compile(
        rf"\b(?:{_WEEKDAY}|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|"
        rf"tomorrow|tonight|today|this (?:morning|afternoon|evening|week)|next (?:week|{_WEEKDAY})|"
        rf"within (?:\d+|an?|one|two|three|four|five|24|48) {_UNIT}|in (?:\d+|an?|one|two|three) {_UNIT}|"
        rf"\d+\s*(?:-|to|–)\s*\d+ {_UNIT}|\d+ {_UNIT}|\d{{1,2}}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|"
        rf"by (?:end of day|eod|noon|midnight|\d))\b",
        _I,
    ),
    "next_step": re.compile(
        r"\b(?:you(?:'ll| will) (?:get|receive|see|be (?:notified|emailed|contacted))|"
        r"(?:i|we)(?:'ll| will) (?:email|send|call|text|notify|let you know|update)|"
        r"next step|once (?:we|the|it|you)|as soon as|after that|then (?:you|we|i)|until then|"
        r"in the meantime|meanwhile|"
        r"(?:tracking|confirmation|label|reference|ticket) (?:number|link|email)?)\b",
        _I,
    ),
    "vague_time": re.compile(
        r"\b(?:(?<!as )soon|as soon as (?:possible|we can|i can|we(?:'re| are) able)|shortly|"
        r"at some point|eventually|asap|in a while|sometime|whenever|"
        r"any (?:day|time) now|in due course|before long|in no time|in the near future|in a bit|"
        r"at some stage|down the line|"
        # a hedge on the timing with no time given ("timings can vary", "it depends")
        r"(?:timings?|times|timescales?|turnaround|it|this|that|how long)(?:'s| is)? (?:can|may|"
        r"might|could|do|does|will|tends? to) (?:\w+ )?(?:vary|varies|differ|depend)|"
        r"how long (?:it )?(?:takes|will take) (?:\w+ )?depends|no (?:set|fixed|firm|exact) (?:time|timeframe|timescale|"
        r"date)|(?:hard|difficult|impossible) to (?:say|tell|know) (?:when|how long)|"
        r"(?:can'?t|cannot|couldn'?t) (?:say|tell you) (?:exactly )?(?:when|how long)|"
        r"(?:can|may|might|could) take (?:a while|some time|a bit|longer))\b",
        _I,
    ),
    "overpromise": re.compile(
        r"\b(?:definitely|100\s*%|guarantee[ds]?|i promise|promise you|for sure|no doubt|"
        r"absolutely (?:will|sure)|certainly will|without fail|nothing to worry|don'?t worry|"
        r"no need (?:at all|to worry))\b",
        _I,
    ),
    "guess": re.compile(
        r"\b(?:probably (?:just|only|nothing|fine|ok(?:ay)?)|most likely (?:just|nothing|fine)|"
        r"i (?:think|guess|assume|reckon|believe) (?:it'?s|that'?s|it should|it will|you'?re)|"
        r"should (?:be|work) (?:fine|ok(?:ay)?)|i'?m (?:pretty|fairly|quite) sure|"
        r"(?:it'?s|that'?s) (?:almost certainly|surely|usually) (?:just|nothing|fine)|"
        r"(?:it'?s|that'?s) (?:just|only) (?:a|the) \w+,? (?:so|nothing))\b",
        _I,
    ),
    "hazard": re.compile(
        r"\b(?:gas|smell\w* (?:of )?(?:burning|smoke|gas)|smoke|fire|sparks?|shock\w*|"
        r"carbon monoxide|leak\w*|flood\w*|chest pain|bleed\w*|dose|overdose|allerg\w*|"
        r"medication|medicine|pregnan\w*|faint\w*|breath\w*|poison\w*|fraud\w*|scam\w*)\b",
        _I,
    ),
    "remedy": re.compile(
        r"\b(?:refund\w*|credit\w*|replac\w+|free|no (?:cost|charge)|at no (?:cost|charge)|"
        r"waiv\w+|upgrad\w+|discount\w*|compensat\w+|reimburs\w+|on us|overnight|express|"
        r"prepaid|reship\w*|resend|voucher|coupon)\b",
        _I,
    ),
    "tip": re.compile(
        r"\b(?:tip|trick|worth knowing|one thing|just so you know|heads up|in case|keep in mind|"
        r"make sure to|i'?d recommend|i recommend|you might (?:also )?(?:like|want)|"
        r"you may (?:also )?want|also)\b",
        _I,
    ),
    "link": re.compile(r"https?://\S+|\bwww\.\S+|\b\w+\.(?:com|org|net|io)/\S*", _I),
    "condescending": re.compile(
        r"\b(?:what (?:did|do|were) you expect(?:ing)?|(?:not sure|no idea) what you (?:expected|"
        r"were expecting|thought)|luck(?:il)?y for you|(?:as )?it (?:clearly|plainly|does|did) (?:says?|"
        r"states?|shows?)|it says (?:so )?(?:right )?(?:there|on the)|(?:maybe|perhaps) (?:next time"
        r" )?(?:try|read|turn|check|pay attention)|if you (?:had|'d) (?:bothered|read|checked|"
        r"looked)|it'?s not (?:that|exactly|very) (?:hard|difficult|complicated)|(?:pretty|fairly|"
        r"quite|really) (?:obvious|simple|self-explanatory)|self-explanatory|common sense|"
        r"(?:i'?ve|i have) (?:already )?(?:told|explained (?:this )?to) you|no offen[cs]e,? but|"
        r"with all due respect|believe it or not|news flash|for future reference|"
        r"(?:must be|that'?s|is that) a (?:new )?record|, that is[.!]|if you can (?:remember|manage|"
        r"find|be bothered)|nice one|what a surprise|no surprise there|not again|of course you (?:did|"
        r"have|are)|(?:wow|oh dear),? (?:again|another|third|second))",
        _I,
    ),
    "rude": re.compile(
        r"\b(?:stupid|idiot\w*|dumb|moron\w*|shut up|pathetic|ridiculous|incompetent|"
        r"your (?:own )?fault|not my problem|(?<!n't have to )(?<!not have to )deal with it|calm down|obviously|"
        r"learn to read|are you (?:serious|kidding)|whatever|get lost|damn|hell|crap|f+u+c+k\w*|"
        r"shit\w*|bloody|piss\w*)\b",
        _I,
    ),
    "arguing": re.compile(
        r"\b(?:as (?:i|we) (?:already |just )?(?:said|stated|told you|explained|mentioned)|"
        r"as stated|i already told you|like i said|you should have|you didn'?t (?:read|check)|"
        r"if you'?d (?:actually |just |only )?(?:read|checked|looked|followed|listened)|"
        r"(?:it|that)'?s not (?:a joke|true|the case|what happened)|(?:that|this) isn'?t true|"
        r"you(?:'re| are) (?:wrong|mistaken|incorrect)|(?:that'?s|it'?s) (?:not|hardly) "
        r"complicated|(?:clearly|plainly) show|(?:so|which means) the (?:charge|fee|bill|decision|"
        r"invoice|penalty) (?:is|was|stands)|the (?:charge|fee|decision) stands|you'?d (?:know|"
        r"have known|have seen)|you (?:did|do) (?:agree|sign|accept)|"
        r"(?:it|that)'?s not (?:really )?(?:my|our) (?:fault|problem|responsibility)|"
        r"(?:check|make sure|remember|be careful|read)\b[^.?!]{0,40}\bnext time|"
        r"rules are rules|no exceptions|our (?:records|system|logs) (?:show|say)s? (?:that )?you|"
        r"you must have (?:selected|entered|chosen|typed|ordered|made|clicked)|"
        r"(?:we|i) did (?:ask|tell|warn|remind) you|as we (?:asked|told you|said)|"
        r"(?:don'?t|doesn'?t) just (?:\w+ )?(?:by (?:themselves|itself)|happen)|"
        r"(?:customers|people) (?:mix (?:\w+ )?up|get (?:\w+ )?wrong|often forget|always (?:forget|"
        r"miss))|(?:that'?s|it'?s) (?:on|down to) you|user error)\b",
        _I,
    ),
    "oversharing": re.compile(
        r"\b(?:between (?:us|you and me|ourselves)|off the record|don'?t tell (?:anyone|my)|"
        r"(?:ops|management|head office|the (?:warehouse|office|other (?:team|department|shift)|"
        r"back office|kitchen|crew|team|depot|it department)|my (?:manager|boss|colleagues?|team)|"
        r"they|it) (?:has|have|is|are|was|were)(?: been)? (?:a |an )?(?:total |complete |bit of a "
        r"|absolute )?(?:shambles|mess|disaster|chaos|joke|useless|clueless|hopeless|nightmare)|"
        r"(?:rang|called|phoned) in sick|since the (?:reshuffle|restructur\w*|layoffs|merger)|"
        r"(?:short|under)[- ]?staffed|(?:my|a) colleague (?:messed|screwed|cocked|mucked) up|"
        r"(?:messed|screwed|cocked|mucked) (?:it )?up again|they never tell us|nobody (?:here|in "
        r"this place) (?:knows|cares)|not my department|went pear-shaped|no shocker)\b",
        _I,
    ),
    "stock_apology": re.compile(
        r"\b(?:(?:we|i) (?:sincerely |do |would like to )?apologi[sz]e|(?:we'?re|i'?m|we are|i am) "
        r"sorry|(?:our |my )?apologies|(?:we|i) regret|sorry) for any (?:inconvenience|trouble|"
        r"disruption|issues?|frustration|confusion)(?: (?:this|that|it) (?:may|might) have|"
        r" (?:this|that) (?:has|was))?(?: caused(?: you)?)?",
        _I,
    ),
    "confusion": re.compile(
        r"\b(?:what do you mean|i don'?t (?:understand|get it|follow)|confus\w+|not sure what|"
        r"what does (?:that|this) mean|huh|sorry\?|come again|which one|or not\?|"
        r"^(?:(?:sorry|ok|okay|right|wait|hang on|hmm),? )?so (?:what|is|are|do|does|can|how|which|"
        r"when)\b[^.!]*\?|(?:is (?:that|it) )?a yes or (?:a )?no\b)",
        _I,
    ),
    "wants_human": re.compile(
        r"\b(?:supervisor|manager|human|real person|someone else|a person|escalate|"
        r"speak to (?:someone|somebody)|talk to (?:someone|somebody)|team lead)\b",
        _I,
    ),
    "needs_more": re.compile(
        r"\b(?:(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) time|"
        r"keeps? (?:happening|dropping|failing|crashing|coming back|breaking|going)|"
        r"every (?:time|day|evening|night|morning|week)|again and again|"
        r"(?:looked at|fixed|sorted|dealt with) properly|someone (?:technical|senior|qualified|"
        r"who (?:can|knows|is able))|take (?:this|it) further|(?:formal|official) complaint|"
        r"(?:make|raise|file|lodge) a complaint|escalat\w+|lives? alone|vulnerable|"
        r"medical (?:alarm|equipment|condition|device)|(?:he|she)'?s (?:8|9)\d\b|"
        r"life support|emergency)\b",
        _I,
    ),
    "handoff_whom": re.compile(
        r"\b(?:supervisor|manager|specialist|team lead|colleague|team|department|expert|"
        r"technicians?|engineers?|nurse|doctor|clinician|adjuster|underwriter|"
        r"tier|senior|member of our)\b",
        _I,
    ),
    "context_passed": re.compile(
        r"\b(?:shared|passed (?:on|along)?|forwarded|filled (?:him|her|them) in|briefed|"
        r"read (?:your|the) (?:chat|conversation|messages|notes|history|ticket)|"
        r"(?:no need|won'?t (?:need|have)) to (?:repeat|explain)|added a note|notes? (?:on|to) "
        r"(?:your|the) (?:account|ticket|case)|has (?:all )?the (?:details|context|history)|"
        r"(?:told|given|sent) (?:him|her|them) (?:a summary|the details|about|your|his|her|their)|"
        r"(?:with|including) (?:your|the|his|her) (?:details|notes|history|summary|case|"
        r"booking reference|claim number|account number)|(?:added|put|noted|written) (?:it |that |"
        r"this )?(?:to|in|on) (?:the|your) (?:\w+ )?(?:notes|file|record)|(?:job|case) notes)\b",
        _I,
    ),
}

_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*", _I)


def has(cue: str, text: str) -> bool:
    """Whether `text` shows the cue."""
    return CUES[cue].search(text) is not None


def count(cue: str, text: str) -> int:
    """How many times `text` shows the cue."""
    return sum(1 for _ in CUES[cue].finditer(text))


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.lower() for w in _WORD.findall(text)]
