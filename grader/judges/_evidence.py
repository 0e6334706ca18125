"""Evidence for a vote that found nothing to quote: the sentences its judge examined.

A detector that finds no rude word, no policy phrase or no repeated question still looked
at the agent's sentences to say so; a verdict must cite what it was based on. So a scoring
vote that cites no quotable sentence is given the examined sentences that best show the
behaviour: the speaker-allowed sentences (agent side first; the customer only when the
element quotes customers and the agent said nothing) most similar to the element's
top-level exemplars, or to its top-level anchor text when it has none. The probes are
embedded once per rubric; without sentence vectors the agent's first sentences are cited.
The vote's rationale says the quotes are the examined sentences, not a finding.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from grader._embedding import SentenceEncoder
from grader._results import JudgeVote
from grader._rubric import Element, Rubric
from grader._transcript import AGENT_SIDE
from grader.judges._protocol import JudgeContext, Votes

__all__ = ["EXAMINED", "cite_examined"]

#: How many examined sentences a vote without findings cites.
EXAMINED = 2
#: Sentences shorter than this are cited only when there is nothing longer.
MIN_WORDS = 4

_Probes = dict[str, NDArray[np.float32]]
_probes: dict[tuple[str, int], _Probes] = {}


def _probe_texts(el: Element) -> list[str]:
    top = el.max_level
    return list(el.exemplars.get(top, ())) or [el.levels[top]]


def _element_probes(rubric: Rubric, encoder: SentenceEncoder) -> _Probes:
    """Element id -> vectors of its top-level exemplars (or anchor), one encoder call."""
    key = (rubric.version, id(encoder))
    if key not in _probes:
        owners: list[str] = []
        texts: list[str] = []
        for el in rubric.elements:
            probe = _probe_texts(el)
            texts += probe
            owners += [el.id] * len(probe)
        vectors = encoder.embed(texts)
        _probes[key] = {
            el_id: vectors[[i for i, o in enumerate(owners) if o == el_id]]
            for el_id in dict.fromkeys(owners)
        }
    return _probes[key]


def _candidate_rows(ctx: JudgeContext, el: Element) -> list[int]:
    allowed = set(el.evidence_from)
    agent = [i for i in ctx.agent_rows if ctx.segments[i].role in allowed]
    rows = agent or [i for i in ctx.customer_rows if ctx.segments[i].role in allowed]
    # a greeting or "Understood." shows little: prefer sentences that say something
    full = [i for i in rows if len(ctx.segments[i].text.split()) >= MIN_WORDS]
    return full or rows


def _examined(ctx: JudgeContext, el: Element, encoder: SentenceEncoder | None) -> list[str]:
    rows = _candidate_rows(ctx, el)
    if not rows:
        return []
    if encoder is None or not ctx.has_vectors:
        return [ctx.segments[i].id for i in rows[:EXAMINED]]
    probe = _element_probes(ctx.rubric, encoder)[el.id]
    best = (ctx.vectors[rows] @ probe.T).max(axis=1)
    order = np.argsort(-best, kind="stable")[:EXAMINED]
    return [ctx.segments[rows[int(i)]].id for i in sorted(order.tolist())]


def _quotable(vote: JudgeVote, el: Element, ctx: JudgeContext) -> bool:
    index = ctx.index
    return any(
        sid in index and ctx.segments[index[sid]].role in el.evidence_from for sid in vote.evidence
    )


def cite_examined(
    ctx: JudgeContext, votes: Votes, encoder: SentenceEncoder | None
) -> dict[str, JudgeVote]:
    """`votes` with every scoring vote that cites nothing quotable given examined sentences."""
    elements: Mapping[str, Element] = {el.id: el for el in ctx.rubric.elements}
    out: dict[str, JudgeVote] = {}
    for el_id, vote in votes.items():
        el = elements.get(el_id)
        if el is None or vote.score is None or _quotable(vote, el, ctx):
            out[el_id] = vote
            continue
        examined = _examined(ctx, el, encoder)
        if not examined:
            out[el_id] = vote
            continue
        who = "agent" if ctx.segments[ctx.index[examined[0]]].role in AGENT_SIDE else "customer"
        note = f"cited: the examined {who} sentence(s) closest to the level-{el.max_level} anchor"
        out[el_id] = vote.model_copy(  # every other field of the vote is kept as it was
            update={
                "examined": examined,
                "rationale": f"{vote.rationale}; {note}" if vote.rationale else note,
            }
        )
    return out
