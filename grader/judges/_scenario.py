"""The scenario, classified in code (no model call on the embedded default).

* inquiry type and objective: the customer's opening sentences against the rubric's own
  one-line descriptions of each value (MiniLM similarity), so a rubric with other values
  classifies by its own words; the first value listed wins when nothing matches well. For
  the default inquiry names, words that name a type ("refund", "tracking", "password") nudge
  it, and a customer who already bought is not asking a pre-purchase question;
* customer state: from the customer's mood (`_mood`), with confusion cues for `confused`,
  mapped onto the rubric's values when it uses the default names.
"""

from __future__ import annotations

import re

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
_I = re.IGNORECASE
#: Words that name an inquiry type, for the default rubric's value names: a nudge added to the
#: description similarity, since a short opening ("can I get the difference back?") is often
#: closer in wording to the wrong description.
_INQUIRY_CUES = {
    "refund_return": re.compile(
        r"\b(?:refund\w*|return(?:ed|ing)?|exchange\w*|money back|"
        r"(?:get|have|want|like) (?:the |my |it |them |some )?(?:\w+ )?back|"
        r"cancel\w*|replacement|replace|swap|send (?:it|them) back|price adjustment)\b",
        _I,
    ),
    "order_status": re.compile(
        r"\b(?:tracking|track(?:ed)?|shipped|ship|arriv\w+|deliver\w*|in transit|dispatch\w*|"
        r"where(?:'s| is) my|hasn'?t (?:come|shipped|arrived)|still waiting for|package|parcel)\b",
        _I,
    ),
    "billing": re.compile(
        r"\b(?:charged?|charges|invoice\w*|bill(?:ed|ing)?|payment|subscription|fee|"
        r"direct debit|statement|overcharg\w*)\b",
        _I,
    ),
    "technical": re.compile(
        r"\b(?:won'?t (?:light|work|start|turn on|connect|load|open|sync)|not working|"
        r"doesn'?t work|stopped working|error|crash\w*|bug|keeps (?:dropping|freezing|failing)|"
        r"no (?:signal|internet|connection)|broken|crack(?:ed|s)?|snapped|faulty|"
        r"nothing happens|(?:clicks|spins|beeps) but)\b",
        _I,
    ),
    "account": re.compile(
        r"\b(?:log ?in|sign ?in|password|username|account settings|locked out|2fa|"
        r"verification code|profile|gift card balance)\b",
        _I,
    ),
    "pre_purchase": re.compile(
        r"\b(?:difference between|(?:the|what'?s the) (?:actual |main |real )?difference|"
        r"decid(?:e|ing) between|which (?:one|should i|is better)|"
        r"(?:thinking|planning) (?:of|about) (?:buying|getting|ordering)|before (?:i )?(?:buy|order)|"
        r"do you (?:sell|stock|have)|recommend|compare|in stock)\b",
        _I,
    ),
    "complaint": re.compile(
        r"\b(?:complain\w*|unacceptable|(?:second|third) time|again!|worst|disgrace\w*|"
        r"terrible service|never (?:again|buying))\b",
        _I,
    ),
}
#: The customer already bought or ordered: not a pre-purchase question.
_BOUGHT = re.compile(
    r"\b(?:i (?:bought|ordered|purchased|paid|received|got)|my (?:order|purchase|delivery)|"
    r"order (?:number|no|#)|arrived|[A-Z]{2}-\d{4,})\b",
    _I,
)
_CUE_BOOST = 0.1
_MAX_CUES = 3


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
    if axis == "inquiry_types":
        opening = " ".join(ctx.segments[r].text for r in rows)
        for k, name in enumerate(names):
            cue = _INQUIRY_CUES.get(name)
            if cue is not None:
                hits = {m.group(0).lower() for m in cue.finditer(opening)}
                sims[k] += _CUE_BOOST * min(len(hits), _MAX_CUES)
        if "pre_purchase" in names and _BOUGHT.search(opening):
            sims[names.index("pre_purchase")] -= 2 * _CUE_BOOST
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
