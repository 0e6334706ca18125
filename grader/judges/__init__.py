"""Judges: code that votes on rubric elements, combined into verdicts by one rule.

A judge is an async callable `JudgeContext -> {element_id: JudgeVote}` made by a small
factory (see `_protocol.py`). The rubric says per element which kinds of judge may score it
(`judges:`); `combine_votes` turns the accepted votes into a verdict with a confidence,
the judges' agreement and verbatim evidence, or `uncertain` below the confidence floor.
"""

from grader._results import JudgeVote
from grader.judges._combine import combine_votes
from grader.judges._constraints import constraints_judge
from grader.judges._evidence import cite_examined
from grader.judges._framing import framing_judge
from grader.judges._lexical import lexical_judge
from grader.judges._llm import llm_votes
from grader.judges._mood import TurnMood, customer_moods
from grader.judges._protocol import Judge, JudgeContext, Votes, build_context
from grader.judges._rapport import rapport_judge
from grader.judges._scenario import classify_scenario
from grader.judges._similarity import similarity_judge
from grader.judges._timing import DEFAULT_RESPONSE_TIMES, signals_judge

__all__ = [
    "DEFAULT_RESPONSE_TIMES",
    "Judge",
    "JudgeContext",
    "JudgeVote",
    "TurnMood",
    "Votes",
    "build_context",
    "cite_examined",
    "classify_scenario",
    "combine_votes",
    "constraints_judge",
    "customer_moods",
    "framing_judge",
    "lexical_judge",
    "llm_votes",
    "rapport_judge",
    "signals_judge",
    "similarity_judge",
]
