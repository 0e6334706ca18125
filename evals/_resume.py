"""Resumable eval runs: every grade is appended to `grades.jsonl`; a rerun can reuse them.

An eval on a CPU model can take hours. The answer cache already replays graded answers,
but not unscored ones (an answer cut off at the token limit is asked again, three times,
on every run), and not a run that was killed. The log keeps both: each line is a grade and
the hash of the transcript it is for, and `--resume` reuses a logged grade when the
transcript, model, rubric version and prompt version all match.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from grader._grading import GradeFn
from grader._results import Grade
from grader._transcript import Transcript

__all__ = ["GradeLog", "load_grade_log", "logged", "resuming", "transcript_key"]


def transcript_key(transcript: Transcript) -> str:
    """A hash of the transcript's content: a changed transcript is graded again."""
    return hashlib.sha256(transcript.model_dump_json().encode()).hexdigest()[:24]


class GradeLog:
    """Appends one JSON line per grade, flushed at once so a killed run loses nothing."""

    def __init__(self, path: Path, *, append: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        if not append:
            path.write_text("", encoding="utf-8")

    def write(self, transcript: Transcript, grade: Grade) -> None:
        """Add one grade."""
        line = json.dumps(
            {"key": transcript_key(transcript), "grade": grade.model_dump(mode="json")}
        )
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def load_grade_log(
    path: Path, *, model: str, rubric_version: str, prompt_version: str
) -> dict[str, Grade]:
    """Logged grades made with this model, rubric and prompt, by transcript key (last wins)."""
    if not path.is_file():
        return {}
    known: dict[str, Grade] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            grade = Grade.model_validate(record["grade"])
        except (json.JSONDecodeError, KeyError, TypeError, ValidationError):
            continue  # a line cut short by a kill
        if (grade.model, grade.rubric_version, grade.prompt_version) == (
            model,
            rubric_version,
            prompt_version,
        ):
            known[str(record["key"])] = grade
    return known


def logged(grade: GradeFn, log: GradeLog) -> GradeFn:
    """`grade`, writing every result to `log`."""

    async def run(transcript: Transcript) -> Grade:
        result = await grade(transcript)
        log.write(transcript, result)
        return result

    return run


def resuming(grade: GradeFn, known: dict[str, Grade]) -> GradeFn:
    """`grade`, except for transcripts already in `known`, which get their logged grade."""

    async def run(transcript: Transcript) -> Grade:
        hit = known.get(transcript_key(transcript))
        if hit is not None:
            return hit.model_copy(update={"transcript_id": transcript.id})
        return await grade(transcript)

    return run
