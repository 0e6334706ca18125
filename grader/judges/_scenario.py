"""The scenario, classified in code (no model call on the embedded default).

* inquiry type and objective: the customer's opening sentences against the rubric's own
  one-line descriptions of each value (MiniLM similarity), so a rubric with other values
  classifies by its own words; the first value listed wins when nothing matches well;
* customer state: from the customer's mood (`_mood`), with confusion cues for `confused`,
  mapped onto the rubric's values when it uses the default names.
"""

from __future__ import annotations

import numpy as np

from grader._embedding import SentenceEncoder
from grader._rubric import Rubric, Scenario
from grader.judges._cues import has
from grader.judges._mood import UPSET_BELOW, customer_moods
from grader.judges._protocol import JudgeContext

__all__ = ["classify_scenario"]

_OPENING_TURNS = 2
_MIN_SIMILARITY = 0.2
#: A value other than the default must beat the default by this much.
_MARGIN = 0.03
_descriptions: dict[tuple[str, int, str], tuple[list[str], np.ndarray]] = {}


def _axis(rubric: Rubric, encoder: SentenceEncoder, axis: str) -> tuple[list[str], np.ndarray]:
    key = (rubric.version, id(encoder), axis)
    if key not in _descriptions:
        values: dict[str, str] = getattr(rubric.scenarios, axis)
        names = list(values)
        _descriptions[key] = (
            names,
            encoder.embed([f"{n.replace('_', ' ')}: {values[n]}" for n in names]),
        )
    return _descriptions[key]


def _pick(
    ctx: JudgeContext, encoder: SentenceEncoder, axis: str, fallback: str, *, best_of: int
) -> str:
    names, vecs = _axis(ctx.rubric, encoder, axis)
    customer_turns = sorted({ctx.segments[r].turn_index for r in ctx.customer_rows})[
        :_OPENING_TURNS
    ]
    rows = [r for r in ctx.customer_rows if ctx.segments[r].turn_index in customer_turns]
    if not rows or not ctx.has_vectors:
        return fallback if fallback in names else names[0]
    # the mean of the `best_of` closest opening sentences (1: the one that says it best)
    sims = np.sort(ctx.vectors[rows] @ vecs.T, axis=0)[::-1][:best_of].mean(axis=0)
    default = fallback if fallback in names else names[0]
    best = int(np.argmax(sims))
    base = float(sims[names.index(default)])
    if sims[best] < _MIN_SIMILARITY or sims[best] - base < _MARGIN:
        return default
    return names[best]


def _state(ctx: JudgeContext, encoder: SentenceEncoder | None) -> str:
    values = list(ctx.rubric.scenarios.customer_states)
    moods = [m.mood for m in customer_moods(ctx, encoder)]
    worst = min(moods, default=0.0)
    confused = any(has("confusion", ctx.segments[r].text) for r in ctx.customer_rows)
    for name, applies in (
        ("angry", worst <= -0.45),
        ("frustrated", worst <= UPSET_BELOW),
        ("confused", confused),
        ("calm", True),
    ):
        if applies and name in values:
            return name
    return values[0]


def classify_scenario(ctx: JudgeContext, encoder: SentenceEncoder | None) -> Scenario:
    """Touchpoint from the channel; the other axes from the conversation itself."""
    if encoder is None:
        inquiry = next(iter(ctx.rubric.scenarios.inquiry_types))
        objective = next(iter(ctx.rubric.scenarios.objectives))
    else:
        inquiry = _pick(ctx, encoder, "inquiry_types", "other", best_of=1)
        # an objective other than the default needs more than one sentence pointing to it
        objective = _pick(ctx, encoder, "objectives", "resolve", best_of=2)
    return Scenario(
        touchpoint=ctx.transcript.channel,
        inquiry_type=inquiry,
        customer_state=_state(ctx, encoder),
        objective=objective,
    )
