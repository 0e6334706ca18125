"""Judges: code that votes on rubric elements, combined into verdicts by one rule.

A judge is an async callable `JudgeContext -> {element_id: JudgeVote}` made by a small
factory (see `_protocol.py`). The rubric says per element which kinds of judge may score it
(`judges:`); `combine_votes` turns the accepted votes into a verdict with a confidence,
the judges' agreement and verbatim evidence, or `uncertain` below the confidence floor.
"""

from grader._results import JudgeVote
from grader.judges._combine import combine_votes
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["Judge", "JudgeContext", "JudgeVote", "Votes", "combine_votes"]
