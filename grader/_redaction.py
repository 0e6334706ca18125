"""PII masking before any hosted-model call, with numbered placeholders mapped back here.

Presidio in pattern-only mode: `NoOpNlpEngine` (no spaCy model is loaded or downloaded;
`nlp_engine=None` would load one) and the recognizers of `grader._pii_patterns`, plus the
names and addresses known from the conversation's metadata. Each distinct value becomes a
numbered placeholder (`<EMAIL_1>`, `<PERSON_2>`), the same one each time it recurs, so the
model can still tell two customers or two cards apart. The mapping never leaves this
process: `Redactor.restore` puts the values back into what the model wrote, so a suggested
reply reads "Thanks, Anna" rather than "Thanks, <PERSON_1>". Grades keep the original
quotes because evidence is cited by sentence id.

Presidio (and the spaCy it imports, ~2.7 s) loads on the first text actually redacted, not
on import: grading on the embedded default never sends text anywhere, so never pays for it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from grader._transcript import Transcript

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer
    from presidio_anonymizer import AnonymizerEngine

__all__ = ["ENTITIES", "Redactor", "redact_pii", "sensitive_terms"]

#: What is masked; the placeholder is `<ENTITY_N>`.
ENTITIES = ("EMAIL", "PHONE", "CARD", "IBAN", "PERSON", "ADDRESS")
PLACEHOLDER = re.compile(r"<(" + "|".join(ENTITIES) + r")_(\d+)>")


@cache
def _engines() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    from grader._pii_patterns import pattern_recognizers

    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
    return analyzer, AnonymizerEngine()  # type: ignore[no-untyped-call]


class Redactor:
    """Masks one conversation's PII consistently across messages and restores it in answers."""

    def __init__(self, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> None:
        self._names = {n for n in names if n}
        self._addresses = [a for a in addresses if a]
        self._recognizers: list[EntityRecognizer] | None = None  # built on first redact
        self._placeholders: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original value, for everything masked so far."""
        return dict(self._originals)

    def _placeholder(self, entity: str, value: str) -> str:
        with self._lock:
            key = (entity, value.casefold())
            if key not in self._placeholders:
                self._counts[entity] = self._counts.get(entity, 0) + 1
                placeholder = f"<{entity}_{self._counts[entity]}>"
                self._placeholders[key] = placeholder
                self._originals[placeholder] = value
            return self._placeholders[key]

    def redact(self, text: str) -> str:
        """`text` with every PII value replaced by its numbered placeholder."""
        if not text:
            return text
        analyzer, anonymizer = _engines()
        results = analyzer.analyze(
            text, language="en", entities=list(ENTITIES), ad_hoc_recognizers=self._known()
        )
        if not results:
            return text
        from presidio_anonymizer.entities import OperatorConfig

        operators = {
            entity: OperatorConfig("custom", {"lambda": self._operator(entity)})
            for entity in ENTITIES
        }
        return anonymizer.anonymize(text, results, operators=operators).text  # type: ignore[arg-type]

    def _known(self) -> list[EntityRecognizer]:
        """Recognizers of the names and addresses known so far (rebuilt after `learn`)."""
        if self._recognizers is None:
            from grader._pii_patterns import known_terms_recognizer

            person = known_terms_recognizer("PERSON", sorted(self._names))
            place = known_terms_recognizer("ADDRESS", self._addresses)
            self._recognizers = [r for r in (person, place) if r is not None]
        return self._recognizers

    def _operator(self, entity: str) -> Any:
        return lambda value: self._placeholder(entity, value)

    def learn(self, text: str) -> None:
        """Remember names people give for themselves ("my name is Tom Baker") in `text`.

        Later mentions without the introduction ("Thanks, Tom Baker") are masked too, even
        in a message that comes before the introduction (the coach's draft, for one).
        """
        from grader._pii_patterns import self_named  # Presidio: learning precedes redacting

        found = {m.group(1) for m in self_named(text)} - self._names
        if not found:
            return
        self._names.update(found)
        self._recognizers = None

    def redact_messages(self, messages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Chat messages with their text content masked (names learnt from all of them)."""
        for message in messages:
            if isinstance(message.get("content"), str):
                self.learn(message["content"])
        out = []
        for message in messages:
            content = message.get("content")
            if isinstance(content, str):
                message = {**message, "content": self.redact(content)}
            out.append(message)
        return out

    def restore(self, text: str) -> str:
        """Put the original values back in place of the placeholders the model wrote."""
        if not self._originals or "<" not in text:
            return text
        return PLACEHOLDER.sub(lambda m: self._originals.get(m.group(0), m.group(0)), text)

    def restore_value(self, value: Any) -> Any:
        """`restore` applied to every string inside dicts and lists (a parsed answer)."""
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, dict):
            return {k: self.restore_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.restore_value(v) for v in value]
        return value


def sensitive_terms(transcript: Transcript) -> dict[str, list[str]]:
    """Names and addresses the metadata knows: `Redactor(**sensitive_terms(t))`."""
    meta = transcript.metadata
    names = [n for n in (meta.customer, meta.agent) if n]
    addresses = [meta.customer_address] if meta.customer_address else []
    return {"names": names, "addresses": addresses}


def redact_pii(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """Mask PII in one text (placeholders numbered within this text only)."""
    return Redactor(names=names, addresses=addresses).redact(text)
