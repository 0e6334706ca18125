"""Professional register: what a friendly agent may still get wrong, in any industry.

Three shapes the rude-word list does not see, each read in agent sentences:
- over-familiar talk: the customer called "mate", "hun" or "pal", pub intensifiers ("proper
  stuck", "a right mess"), exclamations ("bummer", "blimey");
- colleagues or the company run down to the customer, or staff gossip ("our ops lot have been
  all over the place, don't get me started", "two of the lads quit after a row with the boss");
- a jibe at the customer's own mistake ("Reading helps!", "you did actually tick it", "the box
  was right there"), or a grudging "But fine, since ...".

Near misses stay clean: "the proper form", "I'd love to help", "that sounds like it's been a
nightmare for you", "the button is right there at the top of the page".
"""

from __future__ import annotations

import re

__all__ = ["colleague_gossip", "customer_jibe", "over_familiar"]

_I = re.IGNORECASE

_FAMILIAR = re.compile(
    r"(?:^|[\s,(])(?:mate|pal|buddy|hun|hon|babe|chief|fella|guv|sweetie|sweetheart|darlin'?g?|"
    r"lovey|my love|my dear|dude)(?=\s*[,.!?)]|\s*$)|"
    r"(?:^|,\s*)(?:love|duck|pet)(?=\s*[,.!?]|\s*$)|"
    r"\bproper (?:stuck|bummer|nightmare|pain|faff|shambles|mess|gutted|rubbish|palaver|"
    r"headache|chaos)\b|\b(?:right|total|absolute) (?:bummer|faff|palaver)\b|"
    r"\b(?:bummer|blimey|crikey|yikes|naff|cock-?up|balls-?up|no biggie|my bad|oopsie|"
    r"whoopsie|jeez|oh man)\b|\baw+(?= (?:mate|man|no|jeez))",
    _I,
)
_STAFF = (
    r"(?:lot|lads|guys|girls|team|people|boss|bosses|manager|management|ops|office|warehouse|"
    r"colleagues?|staff|drivers|engineers|fitters|installers|head office|it department|crew)"
)
_GOSSIP = re.compile(
    rf"\b(?:our|the|my|that) (?:[\w-]+ ){{0,2}}{_STAFF}\b[^.?!]{{0,40}}?\b(?:(?:have|has|'ve) been|"
    r"are|is|were|was|can'?t|couldn'?t|has|have)\b[^.?!]{0,20}?\b(?:all over the place|useless|hopeless|"
    r"clueless|a joke|a nightmare|rubbish|lazy|slacking|asleep|a shambles|a mess|organi[sz]e a|"
    r"haven'?t a clue|no idea what (?:they|he|she)(?:'re|'s| are| is) doing)|"
    r"\bdon'?t (?:get me started|even get me started)\b|"
    r"\b(?:management|head office|the higher-ups|upstairs|the suits) (?:are|is|have been|has been)\b"
    r"[^.?!]{0,20}?\b(?:clueless|useless|hopeless|a joke|asleep|all over the place)|"
    rf"\b(?:two|three|four|a couple|half|some|one|a few|most) of (?:the|our|my) {_STAFF}\b"
    r"[^.?!]{0,30}?\b(?:quit|walked out|left|got (?:sacked|fired|the sack)|were (?:sacked|fired|"
    r"let go)|rang in sick|called in sick|threw a sickie)|"
    r"\b(?:after|over) (?:a|some) (?:row|fight|bust-up|argument|falling[- ]out|blow-up) with (?:the|"
    r"my|our|their) (?:boss|manager|management|owner|supervisor)\b|"
    r"\b(?:it|things)(?:'s| has| have|'ve)? been (?:a )?(?:total |complete |absolute |bit of a |"
    r"right )?(?:shambles|madhouse|circus|chaos|mess|zoo|nightmare) (?:here|this week|lately|today|"
    r"at our end|in the office|behind the scenes|round here|all week)",
    _I,
)
_JIBE = re.compile(
    r"\breading helps\b|\b(?:it|that) (?:helps|would help) (?:if|when) you (?:read|look|check)|"
    r"\byou did (?:actually|in fact|definitely|clearly) (?:tick|click|select|choose|order|agree|sign|"
    r"accept|opt|book|pick|enter|type)|"
    r"\bthe (?:box|button|option|link|checkbox|notice|warning|sign|banner|message) was (?:right|"
    r"clearly|plainly|literally) (?:there|marked|visible|labelled|labeled|in front of you)|"
    r"(?:^|[.!?]\s+)(?:but |oh |ok(?:ay)?,? )?(?:fine|whatever|alright then)[,.!]\s*(?:since|i'?ll|"
    r"i can|we'?ll|if you|have it)|"
    r"\bwith (?:all )?due respect\b|"
    r"\b(?:not sure|no idea|don'?t know|i don'?t see) how you (?:missed|didn'?t see|managed to miss|"
    r"overlooked|got that wrong)|\b(?:pretty|fairly|quite|very) self-explanatory\b|"
    r"\bas (?:it )?(?:clearly|plainly) (?:says|states|shows|said)\b|"
    r"\b(?:it|that)(?:'s| is| was) (?:all )?(?:in black and white|spelled out|spelt out)\b",
    _I,
)


def over_familiar(text: str) -> bool:
    """Pub talk in a service reply: "mate", "proper stuck", "bummer"."""
    return bool(_FAMILIAR.search(text))


def colleague_gossip(text: str) -> bool:
    """Colleagues or the company run down to the customer, or staff gossip."""
    return bool(_GOSSIP.search(text))


def customer_jibe(text: str) -> bool:
    """A dig at the customer's own mistake, or a grudging "fine, since ..."."""
    return bool(_JIBE.search(text))
