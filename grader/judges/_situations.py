"""Stated situations a reply must respect: what the customer can't use, eat, do or be asked.

Beside expertise and register (`_fit`), customers state plain facts about themselves that
rule a standard answer out: they are deaf (so "give us a call" fits nobody), blind or on a
screen reader ("click the green button"), driving ("tap the link"), vegan or allergic ("our
chicken katsu"), can't do Mondays or stairs, bereaved (so "ask your husband to call us"
asks the dead), have been with the company for years ("as a new customer"), write English
as a second language (idioms), or write a one-line chat message (answered "Dear Sir or
Madam ... Yours faithfully"). Each finding is a sentence id and why; `_fit` counts them as
misfits. A reply that names the thing to rule it out ("no stairs", "nut-free", "as you
can't call") is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grader._segments import Segment
from grader.judges._cues import words

__all__ = ["situation_findings"]

_I = re.IGNORECASE
Finding = tuple[str, str]

#: (what the customer says, what the reply must not then do, why)
_CHANNELS: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:i'?m|i am|i'?ve gone|(?:i'?m|i am) (?:profoundly |partially )?)(?:deaf|hard of "
            r"hearing)|\b(?:can'?t|cannot|unable to) (?:hear|use the phone|talk on the phone|"
            r"make (?:phone )?calls|speak on the phone)|speech (?:impairment|difficult\w*)|"
            r"(?:i use|via) (?:a )?(?:text ?relay|relay uk|bsl|sign language)",
            _I,
        ),
        re.compile(
            r"\b(?:(?:give|drop) us a (?:call|ring|bell)|"
            r"call (?:us|our|the|me)|ring (?:us|our|the)|"
            r"phone (?:us|our|the)|on the phone with|by phone|speak (?:to|with) (?:someone|an? "
            r"(?:agent|adviser|advisor)|one of)|call (?:0|\+)\d)",
            _I,
        ),
        "sent to the phone after saying they can't use it",
    ),
    (
        re.compile(
            r"\b(?:i'?m|i am) (?:registered )?(?:blind|partially sighted|visually impaired|sight "
            r"impaired)|screen ?reader|(?:can'?t|cannot) see (?:the screen|very well|well|the "
            r"(?:buttons|screen|icons))|(?:my|poor|bad|failing) (?:eyesight|vision)",
            _I,
        ),
        re.compile(
            r"\b(?:(?:click|tap|press) (?:the |on the )?(?:green|blue|red|orange|yellow|grey|"
            r"little|small) (?:button|icon|link|box|tab)|(?:see|look at) the (?:attached )?"
            r"(?:image|picture|screenshot|diagram|photo)|as (?:shown|pictured) (?:below|above|"
            r"here)|scan the qr|look for the (?:\w+ )?icon|in the top[- ](?:left|right))",
            _I,
        ),
        "visual directions after saying they can't see them",
    ),
    (
        re.compile(
            r"\b(?:i'?m|i am) (?:currently |just )?(?:driving|behind the wheel|on the motorway)|"
            r"hands[- ]free|"
            r"(?:can'?t|cannot) (?:write (?:it|this|anything) down|look at (?:my|the) "
            r"(?:phone|screen)|type)|no pen",
            _I,
        ),
        re.compile(
            r"\b(?:(?:click|tap|follow|open) (?:on )?(?:the |this )?link|(?:write|jot|note) "
            r"(?:this|that|it|these) down|(?:go|log) (?:on|in)to (?:the|our) (?:app|website|"
            r"portal)|fill in (?:the|our) (?:online )?form|enter the code)",
            _I,
        ),
        "screen or pen steps for someone who can't use either now",
    ),
]
_CHANNELS += [
    (
        re.compile(
            r"\b(?:please )?(?:don'?t|do not|never) (?:call|phone|ring) me\b(?! "
            r"(?:before|after|until|"
            r"between|at|on|in the|during))|\b(?:email|text|chat|in "
            r"writing) only\b|(?:can'?t|cannot) take (?:calls|a call)|(?:i'?m|i am) at work all "
            r"day "
            r"and can'?t (?:talk|answer)",
            _I,
        ),
        re.compile(
            r"\b(?:i'?ll|i will|we'?ll|we will|they'?ll|they will|someone will|(?:an?|the) \w+ "
            r"will) "
            r"(?:give you a (?:call|ring)|"
            r"call you|ring you|phone you)\b|\bexpect a call\b",
            _I,
        ),
        "a call for someone who asked not to be called",
    ),
    (
        re.compile(
            r"\b(?:please )?(?:don'?t|do not) (?:e-?mail|text) me|(?:i )?(?:don'?t|never) (?:check|"
            r"read|use) (?:my )?(?:e-?mails?|texts)|\b(?:phone|calls?) only\b",
            _I,
        ),
        re.compile(
            r"\b(?:i'?ll|i will|we'?ll|we will|i'?ve) (?:e-?mail|text|send)(?:ed)? (?:you|it|the|a|"
            r"this)\b|\b(?:check|see) your (?:e-?mail|inbox|texts)\b",
            _I,
        ),
        "an email or text for someone who said they don't read them",
    ),
]
#: ... unless the reply names the limit to work around it ("as you can't call", "instead").
_WORKS_AROUND = re.compile(
    r"\b(?:since|as) you\b|\binstead\b|rather than|no need to|without (?:a |the )?(?:call|phone)|"
    r"relay|\bbsl\b|sign language|screen reader|hands-free|(?:when|once) you(?:'re| are) "
    r"(?:parked|stopped|home|off the road)",
    _I,
)
_DYSLEXIC = re.compile(
    r"\bdyslexi\w+|\b(?:long|big) (?:blocks of |walls of )?text (?:is|are) hard", _I
)
#: Words in a reply too long for a reader who said long text is hard.
_LONG = 90

#: The person who died named by the customer; then the reply asking that person to act.
_DECEASED = re.compile(
    r"\b(?:passed away|has died|had died|died (?:last|on|in|suddenly|recently)|death of|"
    r"bereave\w+|my late (?:husband|wife|partner|mother|father|mum|dad|son|daughter))\b",
    _I,
)
_ASK_DECEASED = re.compile(
    r"\b(?:ask (?:him|her|your (?:husband|wife|partner|mother|father|mum|dad)) to|"
    r"(?:he|she) (?:will need|needs|must|should|can) (?:to )?(?:call|log|sign|contact|confirm|"
    r"visit|authori[sz]e|come)|the (?:account|policy) ?holder (?:will need|needs|must|should|"
    r"has|can) (?:to )?(?:call|log|sign|contact|confirm|visit|authori[sz]e|give|be present)|"
    r"have (?:him|her) (?:call|contact|log|sign)|(?:his|her) (?:written )?(?:permission|"
    r"consent|authori[sz]ation))",
    _I,
)
_LOYAL = re.compile(
    r"\b(?:been (?:with|banking with|a customer (?:of|with)|shopping with|insured with) you(?:r "
    r"\w+)? (?:for )?(?:\d+|over|more than|nearly|almost|about|since|years|decades|ages)|"
    r"(?:long|long-standing|loyal|longtime|long-time) (?:customer|member|client)|customer (?:of|"
    r"with you) for (?:\d+|over|years|decades))",
    _I,
)
_AS_NEW = re.compile(
    r"\b(?:as a new (?:customer|member|client)|welcome to (?:the )?\w+(?: family)?!|new customers? "
    r"(?:get|can|receive|enjoy)|since you(?:'re| are) new|(?:your|a) first (?:order|purchase|"
    r"booking) with us)",
    _I,
)
_SECOND_LANGUAGE = re.compile(
    r"\b(?:english (?:is not|isn'?t) my first language|my english (?:is not|isn'?t) (?:very )?"
    r"good|sorry for my (?:bad |poor )?english|i (?:don'?t|do not) speak (?:much |good )?"
    r"english|non-?native (?:english )?speaker)\b",
    _I,
)
_IDIOM = re.compile(
    r"\b(?:touch base|ballpark|heads[- ]up|on the same page|in a nutshell|bear with me|"
    r"sort (?:it|that|this) out|get the ball rolling|hang tight|no biggie|a piece of cake|"
    r"hit a snag|up in the air|give (?:me|us) a shout|drop (?:me|us) a line|sit tight|"
    r"ping (?:me|us)|circle back|in the pipeline|keep (?:you )?in the loop|down the line|"
    r"pop (?:it|them|that) (?:in|over|across|back))\b",
    _I,
)
_LETTER = re.compile(
    r"^\W*dear (?:sir|madam|customer|valued)|yours (?:faithfully|sincerely)|\bwe (?:hereby|"
    r"wish to inform)|\bplease be advised\b",
    _I | re.M,
)
_CHAT = re.compile(r"[\u2600-\u27bf\U0001f300-\U0001faff]|\b(?:hiya|hey|lol|pls|plz|thx|ta)\b", _I)

#: "I can't eat nuts", "allergic to latex", "I'm vegan": the reply should not offer it.
_EXCLUDES = re.compile(
    r"\b(?:(?:can'?t|cannot|don'?t|do not|never) (?:eat|drink|tolerate|climb|do)|(?:can'?t|"
    r"cannot) (?:have|take|manage)|allergic to|intolerant to|avoid(?:ing)?|(?:i'?m|i am) (?:off|"
    r"not doing)) (?:any )?(?P<thing>[a-z-]{3,}(?: [a-z-]{4,})?)(?=[.,;!?]| (?:and|but|so|or|"
    r"at all|any ?more|please|for|since|because|after|due|as|with|now)\b|$)",
    _I,
)
_NOT_THINGS = frozenset(
    words(
        "idea time problem worries rush thanks thank longer need way one more much money luck "
        "reply answer response choice access signal internet smartphone computer mobile wifi"
    )
)
_DIETS = {
    "vegan": r"chicken|beef|pork|bacon|ham|lamb|fish|salmon|prawns?|steak|sausages?|cheese|"
    r"milk|eggs?|honey|butter|cream|yogh?urt",
    "vegetarian": r"chicken|beef|pork|bacon|ham|lamb|fish|salmon|prawns?|steak|sausages?",
    "coeliac": r"bread|pasta|wheat|barley|rye|beer|couscous",
    "teetotal": r"wine|beer|prosecco|champagne|cocktails?|gin|cider|whisky",
}
_DIET = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are) (?:a |strictly |fully )?(" + "|".join(_DIETS) + r")\b", _I
)
_SET_ASIDE = re.compile(
    r"\b(?:no|not|n't|without|free|instead|rather|avoid\w*|except|other than|unlike|swap|"
    r"replace\w*|alternative|since you|as you)\b|-free\b",
    _I,
)


def _excluded(text: str) -> dict[str, str]:
    """Thing -> a pattern naming it, for what the customer says they can't have or do."""
    out: dict[str, str] = {}
    for m in _EXCLUDES.finditer(text):
        thing = m.group("thing").lower().split()
        head = thing[-1]
        if head not in _NOT_THINGS and all(w not in _NOT_THINGS for w in thing):
            out[head] = rf"\b{re.escape(head.rstrip('s'))}(?:s|es)?\b"
    for m in _DIET.finditer(text):
        out[m.group(1).lower()] = rf"\b(?:{_DIETS[m.group(1).lower()]})\b"
    return out


def _offers(agent: list[Segment], pattern: str) -> list[str]:
    rx = re.compile(pattern, _I)
    return [s.id for s in agent if rx.search(s.text) and not _SET_ASIDE.search(s.text)]


def _one(agent: list[Segment], test: Callable[[str], bool]) -> list[str]:
    return [s.id for s in agent if test(s.text)]


def situation_findings(customer: str, agent: list[Segment]) -> list[Finding]:
    """Replies that ignore a plain fact the customer stated about themselves in `customer`."""
    out: list[Finding] = []
    reply = " ".join(s.text for s in agent)
    for said, does, why in _CHANNELS:
        if said.search(customer):
            ids = [s.id for s in agent if does.search(s.text) and not _WORKS_AROUND.search(s.text)]
            if ids:
                out.append((ids[0], why))
    if _DYSLEXIC.search(customer) and len(reply.split()) >= _LONG:
        out.append((agent[0].id, "a long block of text after they said long text is hard"))
    if _DECEASED.search(customer):
        ids = _one(agent, lambda t: bool(_ASK_DECEASED.search(t)))
        if ids:
            out.append((ids[0], "asked the person who died to act"))
    if _LOYAL.search(customer):
        ids = _one(agent, lambda t: bool(_AS_NEW.search(t)))
        if ids:
            out.append((ids[0], "a long-standing customer treated as new"))
    if _SECOND_LANGUAGE.search(customer):
        idioms = {m.group(0).lower() for s in agent for m in _IDIOM.finditer(s.text)}
        if len(idioms) >= 2:
            out.append((agent[0].id, f"idioms to a second-language speaker ({', '.join(idioms)})"))
    short_chat = len(customer.split()) <= 30 and bool(_CHAT.search(customer))
    if short_chat and not _LETTER.search(customer):
        ids = _one(agent, lambda t: bool(_LETTER.search(t)))
        if ids:
            out.append((ids[0], "a formal letter in answer to a chat message"))
    for thing, pattern in _excluded(customer).items():
        ids = _offers(agent, pattern)
        if ids:
            out.append((ids[0], f"offered {thing} after they ruled it out"))
    return out
