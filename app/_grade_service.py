"""Grade one transcript for a tenant and keep the grade: the synchronous API's use case.

The tenant's stored rubric version (or the shipped default), its token budget, its
calibration and exemplars all apply; the grade is stored with what made it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app._grade_store import record_grade
from app._grading import GradingOptions, grade_one
from app._limits import check_token_budget
from app._rubrics import rubric_for_grading
from app.storage import GradeRecord, Tenant
from grader._errors import InputError
from grader._settings import Settings
from grader._transcript import Transcript
from grader.importers import ImportResult

__all__ = ["grade_and_store", "single_transcript"]


def single_transcript(result: ImportResult) -> Transcript:
    """The one transcript of an import, or an `InputError` saying what is wrong with it."""
    if result.issues:
        shown = "; ".join(str(i) for i in result.issues[:3])
        more = f" (and {len(result.issues) - 3} more)" if len(result.issues) > 3 else ""
        raise InputError(f"invalid transcript: {shown}{more}")
    if len(result.transcripts) != 1:
        raise InputError(
            f"the body holds {len(result.transcripts)} transcripts; send one per request "
            "(bulk jobs take many)"
        )
    return result.transcripts[0]


async def grade_and_store(
    session: Session,
    settings: Settings,
    tenant: Tenant,
    transcript: Transcript,
    *,
    rubric_id: str | None = None,
    rubric_version: int | None = None,
) -> GradeRecord:
    """Grade within the tenant's budget and store the grade (unscored ones too)."""
    rubric, version_id = rubric_for_grading(session, tenant.id, rubric_id, rubric_version)
    check_token_budget(session, tenant, settings)
    grade = await grade_one(transcript, rubric, settings, GradingOptions(tenant=tenant.id))
    return record_grade(
        session, tenant.id, grade, transcript=transcript, rubric_version_id=version_id
    )
