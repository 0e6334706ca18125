"""Fit: the replies read against the situation the customer stated (see `_profile`).

The specifics count in `_lexical` credits the customer's words an agent says back; a
scripted reply can say back plenty ("Thanks for your email about the 6 pallets of tinned
fish to Lyon") and still fit nobody in particular. This asks whether the replies fit what
the customer said about themselves, and finds the scripts that would fit any customer:

* an expert (self-declared, or asking in their trade's notation) given the basics: a term
  they used defined back to them ("An EORI number is a registration number"), a beginner's
  script ("Great question! ... we recommend speaking to an accountant"), a referral to the
  guide, or the generic first-line steps ("restart your router, clear your cache");
* someone new to it, or elderly and unsure, given terse technical steps, jargon or officialese;
* a customer writing a formal letter answered with gushing chat ("Hi Claire!! Wow");
* a customer who said what they are not ("I'm not a resident") answered as one;
* steps they said they had already taken suggested again;
* a sales or benefits script that names next to none of what they asked for;
* the customer's own reaction that the reply missed them ("I know what a cruciate is").

`fit_shift` turns the findings into a move of the tailoring score: a stated situation
ignored (-1.5, or -2 for two kinds) outweighs any count of repeated words (at most +3); a
reply that fits a stated expertise or inexperience adds 0.75. It is a shift of the one
tailoring vote, not a vote of its own: beside a low specifics count, a separate "misfit"
vote at a fixed level raised the score, and a "fit" vote far from it made the verdict
uncertain.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import words
from grader.judges._focus import pushed_back
from grader.judges._profile import Profile, notation, profile_of, tech_tokens
from grader.judges._situations import situation_findings

__all__ = ["FIT", "MISFIT", "MISFITS", "fit_findings", "fit_shift"]

_I = re.IGNORECASE
#: A sentence that defines a term ("VAT is a tax ...", "DAP (Delivered at Place) is an ...").
_DEFINES = re.compile(
    r"^\W*(?:so,? |to explain,? |basically,? )?(?P<subject>(?:an? |the )?(?:[\w'-]+ ){0,3}?"
    r"[\w'-]+)(?: \([^)]{2,40}\))? (?:(?:is|are|means) (?:basically |simply |just |essentially )?"
    r"(?:an? |when |where |what |how )|means (?:you|that|your)\b|(?:let|allow)s? you\b)",
    _I,
)
_WHICH_IS = re.compile(
    r"\b(?:which|that)(?:'s| is) (?:what'?s )?called\b|"
    r",? which (?:is|are|means) (?:basically |simply )?an? (?:\w+ )?(?:tax|system|term|type|"
    r"kind|way|number|code|form|process|scheme|charge|fee|device|tool|rule)\b",
    _I,
)
_NOT_SUBJECT = frozenset(
    words("it this that there here which what who he she they we you i yours ours mine theirs one")
)
#: Phrases of a beginner's script.
_LAY = re.compile(
    r"(?:\b(?:great|good) question!|\bwill (?:go through|explain) everything|"
    r"\b(?:(?:check|see|visit|"
    r"read|browse) (?:out )?our (?:\w+ )?(?:help (?:centre|center)|faqs?|guides?|blog|knowledge "
    r"base|support (?:page|site)|tips)|can be (?:tricky|confusing|complicated|daunting)|"
    r"makes? (?:it|things|this) (?:easy|simple)|easy to use|for (?:all|every) (?:skill )?levels?|"
    r"beginner'?s'? guide|getting started|(?:nothing|no need) to worry about|we (?:recommend|"
    r"suggest|advise) (?:speaking|talking) (?:to|with)|consult (?:an? |your )?(?:accountant|expert|"
    r"professional|specialist|adviser|advisor)|if you(?:'re| are) (?:unsure|not sure)|check out "
    r"our|to explain(?=,)|in simple terms|simply put|put simply|in a nutshell|which (?:is|means) "
    r"basically|is basically|the basics|(?:is|are) designed to (?:give|make|help)|"
    r"getting[- ]started|"
    r"(?:is|it'?s) (?:really |super |so )?(?:easy|simple)|(?:you can )?find (?:more (?:information|"
    r"details) (?:about|on) \w+(?: \w+)? in|our|the|more) (?:\w+ ){0,3}?(?:guides?|guidelines|"
    r"documentation|docs|faqs?|help (?:centre|center)|information|leaflet)|(?:speak|speaking|talk|"
    r"talking|check|checking|consult\w*) (?:to |with )?(?:your|a|an) (?:own )?(?:doctor|gp|"
    r"accountant|adviser|advisor|professional|electrician|engineer|vet|solicitor|pharmacist)|"
    r"(?:depends|will depend|varies) (?:on|by|depending)|some (?:\w+ )?(?:can|may) (?:affect|"
    r"cause|be)|sometimes (?:\w+ )?can))\b",
    _I,
)
#: The generic first-line fixes any customer with any fault is told to try.
_GENERIC_STEP = re.compile(
    r"\b(?:restart\w*|reboot\w*|reset(?:ting)? your password|power[- ]cycl\w+|"
    r"turn (?:it|them|\w+ \w+) off and (?:on|back on)|"
    r"switch (?:it|them) off and (?:on|back on)|clear(?:ing)? (?:your |the )?(?:browser )?(?:cache|"
    r"cookies|history)|check(?:ing)? (?:that )?(?:your|the) (?:internet|connection|wi-?fi|network|"
    r"firewall|cables?|settings|router|signal|batter(?:y|ies)|plug)|make sure (?:that )?"
    r"(?:your|the|it|they)\b[^.!?]{0,50}\b(?:connected|plugged|updated|correct|charged|switched "
    r"on|turned on|enabled|up to date|stable|working|strong)|"
    r"check for (?:any )?(?:firmware |software |app )?updates|"
    r"update (?:the|your) (?:app|firmware|software|browser|drivers?)|move (?:\w+ ){0,3}closer|"
    r"log(?:ging)? (?:out|off) and (?:log(?:ging)? )?(?:back )?(?:in|on)|reinstall\w*|uninstall\w*|"
    r"(?:wait|waiting) (?:a (?:little|while|few \w+) )?(?:and|then) try again|"
    r"try (?:\w+ing )?(?:it )?"
    r"again|"
    r"try (?:a different|another) "
    r"(?:browser|device|cable))\b",
    _I,
)
_JARGON_WORD = re.compile(
    r"\b(?:authenticat\w+|firmware|bluetooth|pairing|pair (?:it|the)|handshake|toggle|"
    r"configur\w+|sync\w*|cache|browser|install\w*|download\w*|notifications?|credentials|"
    r"interface|dongle|router|ssid|2fa|otp|url|app store|companion app|mode selector|voltage|"
    r"settings menu|drop-?down|toolbar|tab\b|upload\w*|log ?in|sign ?in|username|password|"
    r"portal|dashboard)",
    _I,
)
#: Officialese a newcomer has to translate ("per annum", "risk appetite").
_OFFICIAL = re.compile(
    r"\b(?:per annum|approximately|in addition to|in accordance with|pursuant|hereby|"
    r"aforementioned|thereof|applicable|subject to|prior to|whereby|risk appetite|utili[sz]\w+|"
    r"commence\w*|facilitate\w*|remit\w*|accru\w+|is applied|are applied|selection|"
    r"eligibility criteria|as per)\b",
    _I,
)
#: A reply that takes a newcomer by the hand ("An 'app' is just a little program").
_PLAIN = re.compile(
    r"\b(?:don'?t worry|is what you|is the (?:amount|part|bit|money) you|lots of (?:people|first|"
    r"new)|good question|in plain|the short version|for example|just a (?:little|small)|"
    r"like (?:a|an|adding|putting)|in other words|"
    r"that means|which means|means you|no need|you (?:don'?t|won'?t) need|i'?ll (?:do|set|sort|"
    r"help|show|walk|stay)|step by step|shall i stay|stay on (?:the line|while)|in (?:the )?"
    r"branch|in person|come (?:in|down|along)|pop in|i'?ve (?:told|booked|put|arranged|asked))\b",
    _I,
)
_EMOJI = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")
_CHATTY = re.compile(
    r"!!|\b(?:wow|super|awesome|totally|amazing|yay|yep|yeah|nope|basically|easy!|pop (?:it|"
    r"\w+ as)|bits|happy cooking|exciting|fab|no worries|hiya|omg|woo+)\b|^\W*(?:hi|hey) \w+!",
    _I | re.M,
)
#: A sales or benefits script ("valued Gold member", "three fantastic mattresses").
_SALES = re.compile(
    r"\b(?:thanks? (?:you )?(?:so much )?for (?:your interest|choosing|being a valued)|valued "
    r"(?:\w+ )?(?:member|customer)|we (?:offer|have) (?:a range|three|several|many|\w+ "
    r"(?:fantastic|great|amazing))|our (?:\w+ )?range|membership (?:levels|options|tiers)|"
    r"sign up (?:online )?today|join today|popular choice|best-?seller|fantastic|exciting|"
    r"unlock (?:exclusive|amazing|more|your|chef|new|great|big|even|a world)|you (?:will "
    r")?enjoy|no joining fee|loved by|super popular|look forward to "
    r"welcoming)\b",
    _I,
)
_CONTRAST = re.compile(
    r"\b(?:not|n'?t|no|never|without|instead|rather|only|unlike|other than|except|but|even "
    r"though|although|since you|as you)\b",
    _I,
)
_STOP = frozenset(
    words(
        "about there their which would could should please thanks thank hello dear regards really "
        "still today tomorrow where while other first never since your yours have just want need "
        "what when also been with that this from they them make sure like know ideally"
    )
)
#: Fewer asked-for words than this, in an opening of at most `_TERSE` words ("Side sleeper,
#: bad shoulder. King size. Which one?"): all its words are what they asked for.
_FEW, _TERSE = 3, 40
#: Share of the customer's asked-for words a scripted reply may name and still miss them.
_MISSED = 0.3


def _sentences(segments: list[Segment], profile: Profile) -> list[Segment]:
    opening = set(profile.opening)
    last = max((s.turn_index for s in segments if s.id in opening), default=-1)
    return [s for s in segments if s.role in AGENT_SIDE and s.turn_index > last]


def _content(text: str) -> set[str]:
    return {w[:5] for w in words(text) if len(w) >= 4 and w not in _STOP}


def _defines_their_term(seg: Segment, theirs: set[str]) -> bool:
    if _WHICH_IS.search(seg.text):
        return True
    m = _DEFINES.search(seg.text)
    if m is None:
        return False
    subject = [w for w in words(m.group("subject")) if w not in ("a", "an", "the")]
    if not subject or subject[0] in _NOT_SUBJECT:
        return False
    return any(w[:5] in theirs for w in subject if len(w) >= 3)


def _asked_for(segments: list[Segment], profile: Profile) -> set[str]:
    """Content words of the customer's questions and stated needs before the first reply."""
    ids = set(profile.opening)
    asks = re.compile(r"\?|\b(?:need|needs|want|looking for|require|must|ideally|can you)\b", _I)
    opening = [s for s in segments if s.id in ids]
    asked = {w for s in opening if asks.search(s.text) for w in _content(s.text)}
    if len(asked) < _FEW and sum(len(s.text.split()) for s in opening) <= _TERSE:
        asked = {w for s in opening for w in _content(s.text)}  # terse: every word is a need
    return asked


Finding = tuple[str, str]  # (sentence id, why)

#: A step of a check-it-yourself script, at the start of a sentence or a listed item.
_STEP = re.compile(
    r"(?:^|\n|\d[.)]\s|^\W*-\s|\s-\s)\s*(?:please )?(?:try|check|make sure|ensure|confirm|"
    r"verify|restart|reboot|reset|press|test|look at)\b[^\n.!?;]*",
    _I | re.M,
)
#: The customer's reaction that the reply missed them ("I know what a cruciate is").
_REACTION = re.compile(
    r"\bi know (?:what|how|that|it'?s)\b|you'?ve (?:lost|confused) me|lost me (?:there|a bit)|"
    r"did you (?:get|see|read|catch|miss) the (?:part|bit)|none of (?:that|this|those) (?:is|are|"
    r"was|were) (?:relevant|helpful|what|any use)|read my (?:message|tweet|email|post|question)|"
    r"\bi am (?:the|an?) \w+\b|^\W*(?:ok(?:ay)?|right|hmm|erm?|um)?\W*but (?:is|are|do|does|can|"
    r"what|will|did|have|how)\b|\bor not\?|^\W*for (?:\d[\d,]*|all|every|\w+ (?:of )?\d[\d,]*) "
    r"\w+\?",
    _I,
)


def _retold_steps(agent: list[Segment], theirs: set[str]) -> list[str]:
    """Agent steps that tell the customer to check what they said they had checked."""
    return [s.id for s in agent for m in _STEP.finditer(s.text) if _content(m.group(0)) & theirs]


def _reactions(segments: list[Segment], profile: Profile) -> list[str]:
    """Customer sentences after the first reply saying it missed them."""
    first = next((s.turn_index for s in segments if s.role in AGENT_SIDE), None)
    if first is None:
        return []
    return [
        s.id
        for s in segments
        if s.role is Role.CUSTOMER
        and s.turn_index > first
        and (pushed_back(s.text) or _REACTION.search(s.text))
    ]


def _expert_misfits(agent: list[Segment], profile: Profile, theirs: set[str]) -> list[Finding]:
    out: list[Finding] = []
    for s in agent:
        if _defines_their_term(s, theirs):
            out.append((s.id, "a term they used defined back to them"))
        elif _LAY.search(s.text):
            out.append((s.id, "a beginner's script"))
    steps = [s for s in agent if _GENERIC_STEP.search(s.text)]
    if len(steps) >= 2 or sum(len(_GENERIC_STEP.findall(s.text)) for s in steps) >= 2:
        out.append((steps[0].id, "the generic first-line steps"))
    return out


def _novice_misfits(agent: list[Segment], customer_text: str) -> list[Finding]:
    own = {w.lower() for w in words(customer_text)}
    jargon = [
        (s.id, m.group(0))
        for s in agent
        for m in _JARGON_WORD.finditer(s.text)
        if m.group(0).lower() not in own
    ]
    codes = [
        (s.id, t) for s in agent for t in tech_tokens(s.text) if t not in tech_tokens(customer_text)
    ]
    official = list(
        dict.fromkeys(m.group(0).lower() for s in agent for m in _OFFICIAL.finditer(s.text))
    )
    if len(official) >= 2:
        return [(agent[0].id, f"officialese ({', '.join(official[:3])})")]
    terms = list(dict.fromkeys(t for _, t in jargon + codes))
    if len(terms) >= 2:
        return [((jargon + codes)[0][0], f"technical terms ({', '.join(terms[:3])})")]
    return []


#: "What does 'excess' mean?": a newcomer asking what a term means.
_WHAT_MEANS = re.compile(
    r"\bwhat (?:does|do) (?:an? |the |this |that )?\W?\w+(?: \w+)?\W? (?:actually )?mean\b|"
    r"\bwhat do you mean by\b|\bwhat is meant by\b|(?:don'?t|do not) (?:really )?(?:understand|"
    r"know) what \W?\w+(?: \w+)?\W? means",
    _I,
)
#: A reply explaining a term ("just means", "is what you pay", "in other words").
_EXPLAINS = re.compile(
    r"\b(?:means?|meant|is (?:what|when|how|where|the|an?|just|basically|simply)|refers? to|in "
    r"other words|basically|simply put|think of it|like (?:a|an|when))\b",
    _I,
)


def fit_findings(segments: list[Segment]) -> tuple[Profile, list[Finding], list[Finding]]:
    """The customer's profile, the replies' misfits to it, and the fits."""
    profile = profile_of(segments)
    agent = _sentences(segments, profile)
    if not agent:
        return profile, [], []
    ids = set(profile.opening)
    customer_text = " ".join(s.text for s in segments if s.id in ids)
    theirs = _content(customer_text) | {t[:5] for t in profile.tech}
    reply = " ".join(s.text for s in agent)
    misfits: list[Finding] = []
    fits: list[Finding] = []
    if profile.expert:
        misfits += _expert_misfits(agent, profile, theirs)
        reused = profile.tech & notation(reply)
        if not misfits and len(reused) >= 2:
            fits.append((agent[0].id, "answered in their own terms"))
    elif profile.novice:
        misfits += _novice_misfits(agent, customer_text)
        if _WHAT_MEANS.search(customer_text) and not any(_EXPLAINS.search(s.text) for s in agent):
            misfits.append((agent[0].id, "the term they asked about left unexplained"))
        plain = [s.id for s in agent if _PLAIN.search(s.text)]
        if not misfits and plain:
            fits.append((plain[0], "took a newcomer through it plainly"))
    if profile.tried or profile.expert:
        steps = [s.id for s in agent for _ in _GENERIC_STEP.finditer(s.text)]
        retold = _retold_steps(agent, theirs)
        if len(retold) >= 2 or (profile.tried and not profile.expert and len(steps) >= 2):
            misfits.append(((retold or steps)[0], "steps they had already taken"))
    if profile.formal:
        chatty = [s.id for s in agent if _CHATTY.search(s.text) or _EMOJI.search(s.text)]
        if len(chatty) >= 2:
            misfits.append((chatty[0], "a formal letter answered with gushing chat"))
    for attr in profile.not_a:
        word = re.escape(attr.rstrip("s"))
        stem = re.compile(rf"\b{word[:-1]}\w*" if len(attr) > 5 else rf"\b{word}s?\b", _I)
        as_one = [s.id for s in agent if stem.search(s.text) and not _CONTRAST.search(s.text)]
        if as_one:
            misfits.append((as_one[0], f"treated as a {attr} after saying they are not"))
    misfits += situation_findings(customer_text, agent)
    reacted = _reactions(segments, profile)
    if reacted:
        misfits.append((reacted[0], "the customer said the reply missed them"))
    sales = [s.id for s in agent if _SALES.search(s.text)]
    asked = _asked_for(segments, profile)
    if sales and len(asked) >= 3:
        named = len(asked & _content(reply)) / len(asked)
        if named <= _MISSED:
            misfits.append((sales[0], f"a sales script naming {named:.0%} of what they asked"))
    return profile, misfits, fits


def _said(profile: Profile) -> str:
    parts = [
        f"expert ({profile.expert!r})" if profile.expert else "",
        f"new to it ({profile.novice!r})" if profile.novice else "",
        "formal" if profile.formal else "",
        f"not a {', '.join(profile.not_a)}" if profile.not_a else "",
        f"already tried ({profile.tried!r})" if profile.tried else "",
    ]
    return "; ".join(p for p in parts if p) or "nothing about themselves"


#: A stated situation ignored outweighs any count of words said back; one met, less so.
MISFIT, MISFITS, FIT = -1.5, -2.0, 0.75


def fit_shift(segments: list[Segment]) -> tuple[float, list[str], str]:
    """How far the replies' fit to the stated situation moves tailoring, its evidence and why."""
    profile, misfits, fits = fit_findings(segments)
    if misfits:
        kinds = list(dict.fromkeys(why for _, why in misfits))
        ids = list(dict.fromkeys(sid for sid, _ in misfits))[:2] + list(profile.opening)[:1]
        why = f"the customer stated: {_said(profile)}; the reply gave " + "; ".join(kinds[:3])
        return (MISFIT if len(kinds) == 1 else MISFITS), ids, why
    if fits:
        why = f"the customer stated: {_said(profile)}; the reply {fits[0][1]}"
        return FIT, [fits[0][0], *profile.opening[:1]], why
    return 0.0, [], ""
