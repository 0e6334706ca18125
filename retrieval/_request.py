"""One coaching request, prepared: detect, retrieve, ground, build the prompt.

Everything before the model is called, and all of it local: the draft and the retrieval
query are embedded in one batch, the detector and the store reuse those vectors, and the
backing (what may be promised, which facts are known) is fixed before anything is generated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from grader._transcript import Role, Turn
from retrieval._commitments import Backing, backing_from
from retrieval._detector import Detection, Detector, sentence_spans
from retrieval._prompting import coach_variables, render
from retrieval._records import ModelAnswer, Policy, Tone
from retrieval._store import Hit, KnowledgeStore

__all__ = ["OFF_TOPIC", "CoachRequest", "prepare_request", "retrieval_query"]

#: Turns of the conversation the coach sees (the latest ones).
CONTEXT_TURNS = 6
_QUERY_CHARS = 400
#: Sources less similar than the best hit minus the margin, or than this share of it, are left
#: out of the prompt and of the backing.
RELEVANCE_MARGIN, RELEVANCE_RATIO = 0.2, 0.7
R = TypeVar("R", ModelAnswer, Policy)
#: Policies searched to learn how much each topic is about the conversation.
TOPIC_SEARCH = 8
#: How much less about the conversation than the best policy an answer's policy may be before
#: the answer counts as another situation that merely shares words with this one.
OFF_TOPIC = 0.15


@dataclass(frozen=True)
class CoachRequest:
    """A draft with its findings, sources, backing and messages, ready to send."""

    draft: str
    turns: list[Turn]
    tone: Tone
    detection: Detection
    answers: list[Hit[ModelAnswer]]
    policies: list[Hit[Policy]]
    backing: Backing
    messages: list[dict[str, str]]
    #: Policy topic -> similarity of its best policy to the conversation (every topic searched),
    #: so an answer whose policy was not retrieved still shows how far off-topic it is.
    topics: Mapping[str, float] = field(default_factory=dict)

    @property
    def source_ids(self) -> list[str]:
        """Ids the suggestion may cite: policies first, then model answers."""
        return [h.record.id for h in self.policies] + [h.record.id for h in self.answers]

    def stream_messages(self) -> list[dict[str, str]]:
        """The same request, asking for plain text instead of JSON (for streaming)."""
        return self.render_messages(structured=False)

    def render_messages(
        self, *, structured: bool, grounded: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]:
        """System and user messages, asking for the JSON parts or for plain text.

        `grounded`: the composed parts, for the model to rewrite rather than write from nothing.
        """
        variables = coach_variables(
            self.tone,
            self.draft,
            self.turns,
            policies=[h.record for h in self.policies],
            answers=[h.record for h in self.answers],
            findings=self.detection.spans,
            structured=structured,
            grounded=dict(grounded) if grounded else None,
        )
        return [
            {"role": "system", "content": render("coach_system.jinja", **variables)},
            {"role": "user", "content": render("coach_user.jinja", **variables)},
        ]


def _relevant(hits: list[Hit[R]]) -> list[Hit[R]]:
    """The hits close to the best one: a loosely related source may not back a promise."""
    if not hits:
        return []
    floor = max(hits[0].similarity - RELEVANCE_MARGIN, hits[0].similarity * RELEVANCE_RATIO)
    return [h for h in hits if h.similarity >= floor]


def retrieval_query(draft: str, turns: Sequence[Turn]) -> str:
    """The customer's first turn (the issue) and last two, plus the draft, in their words."""
    customer = [" ".join(t.text.split())[:_QUERY_CHARS] for t in turns if t.role is Role.CUSTOMER]
    picked = list(dict.fromkeys([*customer[:1], *customer[-2:]]))
    return " ".join([*picked, draft])


def prepare_request(
    draft: str,
    context: Sequence[Turn],
    store: KnowledgeStore,
    detector: Detector,
    *,
    tone: Tone = "friendly",
    k_answers: int = 3,
    k_policies: int = 2,
    scenario: str | None = None,
    inquiry_type: str | None = None,
    policy_topic: str | None = None,
) -> CoachRequest:
    """Detect, retrieve and build the structured prompt for one draft."""
    turns = list(context)[-CONTEXT_TURNS:]
    sentences = sentence_spans(draft)
    vectors = store.embed([retrieval_query(draft, turns), *(draft[a:b] for a, b in sentences)])
    detection = detector(draft, vectors[1:])
    answers = store.search_answers(
        vectors[0],
        k_answers,
        scenario=scenario,
        inquiry_type=inquiry_type,
        policy_topic=policy_topic,
    )
    answers = _relevant(answers)
    searched = store.search_policies(vectors[0], TOPIC_SEARCH, topic=policy_topic)
    topics: dict[str, float] = {}
    for hit in searched:
        topics.setdefault(hit.record.topic, hit.similarity)
    policies = _relevant(searched[:k_policies])
    best = max(topics.values(), default=0.0)
    for answer in answers:  # the policy of every answer close enough to be composed from
        topic = answer.record.policy_topic
        if topic and all(h.record.topic != topic for h in policies):
            extra = [h for h in searched if h.record.topic == topic]
            if not extra:
                extra = store.search_policies(vectors[0], 1, topic=topic)
            if extra and (extra[0].similarity >= best - OFF_TOPIC or answer is answers[0]):
                policies.append(extra[0])
    backing = backing_from(
        [h.record for h in policies], [h.record for h in answers], [*(t.text for t in turns), draft]
    )
    request = CoachRequest(draft, turns, tone, detection, answers, policies, backing, [], topics)
    return replace(request, messages=request.render_messages(structured=True))
