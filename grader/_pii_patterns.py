"""Presidio recognizers for customer PII that need no NLP model: patterns and known terms.

Presidio's own e-mail recognizer validates domains with tldextract, which downloads the
public suffix list (no network here), and its phone recognizer (libphonenumber) costs ~20 ms
per 1,000 characters; both are replaced by patterns. Cards and IBANs use Presidio's
recognizers, which check the Luhn and mod-97 checksums.

Phones: 10-15 digits, international (`+44 20 7946 0958`), North American (`5551234567`,
`(415) 555-2671`) or national with a trunk zero (`020 7946 0958`); a 7-digit `123-4567` is
too short to be a phone, and numbers introduced as an order, ticket or invoice are not one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, IbanRecognizer

__all__ = ["known_terms_recognizer", "pattern_recognizers", "self_named"]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+/.-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,5}"  # international
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}"  # (415) 555-2671
    r"|\d{3}[ .-]?\d{3}[ .-]?\d{4}"  # 415-555-2671, 5551234567
    r"|0\d{2,4}[ .-]?\d{3,4}[ .-]?\d{3,4}"  # 020 7946 0958, 07700 900123
    r")(?![\w/-]|\.\d)"
)
_NOT_A_PHONE = re.compile(
    r"(?:order|ticket|invoice|tracking|case|ref(?:erence)?|account|sku|item|po)"
    r"(?:\s*(?:no\.?|number|num|id))?(?:\s+(?:is|was))?\s*[#:]?\s*$|#\s*$",
    re.IGNORECASE,
)
_DIGIT_BEFORE = re.compile(r"\d[ .-]?$")
_DIGIT_AFTER = re.compile(r"[ .-]?\d")
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\.?\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl"
    r"|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy)\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Flat|Ste)\.?\s*#?\w+)?"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")  # UK: SW1A 1AA
_STATE_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")  # US: CO 80202
_SELF_NAMED = re.compile(
    r"\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame is|[Tt]his is|I'm|I am|[Ss]igned|[Cc]all me)"
    r"\s+((?:[A-Z][a-z'-]+)(?:\s+[A-Z][a-z'-]+){0,2})"
)
#: Capitalised words that follow "this is" / "I'm" without being a name.
_NOT_NAMES = frozenset(
    {
        "Sorry",
        "Happy",
        "Glad",
        "Here",
        "Not",
        "The",
        "A",
        "An",
        "So",
        "Very",
        "Really",
        "Just",
        "Still",
        "Calling",
        "Writing",
        "Going",
        "Trying",
        "Looking",
        "Getting",
        "Waiting",
        "Back",
        "Done",
        "Unhappy",
        "Frustrated",
        "Upset",
        "Angry",
        "Confused",
        "Sure",
        "Fine",
        "Okay",
        "Ok",
        "Great",
        "Good",
        "Bad",
        "Terrible",
        "Ridiculous",
        "Unacceptable",
        "It",
        "This",
        "That",
        "What",
        "Why",
        "How",
        "When",
        "Where",
        "Your",
        "Our",
        "My",
        "Customer",
        "Support",
        "Service",
        "Team",
        "Agent",
        "Amazing",
        "Hoping",
        "Please",
        "Thanks",
        "Thank",
        "Absolutely",
        "Definitely",
        "Totally",
        "Afraid",
        "Annoyed",
        "Disappointed",
        "Delighted",
        "Pleased",
    }
)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class _Regex(EntityRecognizer):
    """One compiled pattern (case-sensitive, unlike Presidio's defaults), optional check."""

    def __init__(
        self,
        entity: str,
        pattern: re.Pattern[str],
        *,
        group: int = 0,
        check: Callable[[str, re.Match[str]], bool] | None = None,
        score: float = 0.9,
    ) -> None:
        self.pattern, self.group, self.check, self.score = pattern, group, check, score
        super().__init__(supported_entities=[entity], name=f"grader_{entity.lower()}")

    def load(self) -> None:
        """Nothing to load: the pattern is compiled."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        """Spans of `text` the pattern matches and the check accepts."""
        out: list[Any] = []
        for match in self.pattern.finditer(text):
            if self.check is not None and not self.check(text, match):
                continue
            start, end = match.span(self.group)
            out.append(RecognizerResult(self.supported_entities[0], start, end, self.score))
        return out


def _phone_ok(text: str, match: re.Match[str]) -> bool:
    value = match.group(0)
    count = _digits(value)
    low = 8 if value.startswith("+") else 10
    if not low <= count <= 15:
        return False
    before, after = text[max(0, match.start() - 30) : match.start()], text[match.end() :]
    if _DIGIT_BEFORE.search(before) or _DIGIT_AFTER.match(after):
        return False  # a piece of a longer number (tracking, serial)
    return _NOT_A_PHONE.search(before) is None


def _named(text: str, match: re.Match[str]) -> bool:
    return match.group(1).split()[0] not in _NOT_NAMES


def self_named(text: str) -> list[re.Match[str]]:
    """Introductions ("my name is Tom Baker"); group 1 is the name."""
    return [m for m in _SELF_NAMED.finditer(text) if _named(text, m)]


def pattern_recognizers() -> list[EntityRecognizer]:
    """The fixed recognizers: e-mail, phone, card, IBAN, street address, name said in text."""
    return [
        _Regex("EMAIL", _EMAIL),
        _Regex("PHONE", _PHONE, check=_phone_ok, score=0.8),
        CreditCardRecognizer(supported_entity="CARD"),
        IbanRecognizer(supported_entity="IBAN"),
        _Regex("ADDRESS", _STREET, score=0.7),
        _Regex("ADDRESS", _POSTCODE, score=0.6),
        _Regex("ADDRESS", _STATE_ZIP, score=0.6),
        _Regex("PERSON", _SELF_NAMED, group=1, check=_named, score=0.6),
    ]


def known_terms_recognizer(entity: str, terms: Iterable[str]) -> EntityRecognizer | None:
    """Exact mentions of names or addresses known from metadata (a name's parts as well)."""
    variants: set[str] = set()
    for term in terms:
        term = " ".join(term.split())
        if len(term) < 3:
            continue
        variants.add(term)
        if entity == "PERSON":
            variants.update(part for part in term.split() if len(part) >= 3)
        else:
            variants.update(part.strip() for part in term.split(",") if len(part.strip()) >= 6)
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return _Regex(entity, pattern, score=1.0)
