"""Rubric versions, grades, calibration sets and runs.

Revision ID: 0002_service_core
Revises: 0001_tenants_keys
Create Date: 2026-12-01 11:10:49.701028
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_service_core"
down_revision: str | Sequence[str] | None = "0001_tenants_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "calibration_sets",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("focus_elements", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_calibration_sets_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sets")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_calibration_sets_tenant_id")),
    )
    with op.batch_alter_table("calibration_sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_sets_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "rubrics",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=63), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rubrics_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubrics")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_rubrics_tenant_id")),
    )
    with op.batch_alter_table("rubrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rubrics_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "calibration_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=63), nullable=False),
        sa.Column("set_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("folds", sa.Integer(), nullable=False),
        sa.Column("calibration_id", sa.String(length=100), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["calibration_sets.id"],
            name=op.f("fk_calibration_runs_set_id_calibration_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_calibration_runs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_runs")),
    )
    with op.batch_alter_table("calibration_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_runs_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "rubric_versions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("rubric_id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=63), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"],
            ["rubrics.id"],
            name=op.f("fk_rubric_versions_rubric_id_rubrics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rubric_versions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_versions")),
        sa.UniqueConstraint("rubric_id", "number", name=op.f("uq_rubric_versions_rubric_id")),
    )
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "grades",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=63), nullable=False),
        sa.Column("transcript_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_hash", sa.String(length=80), nullable=False),
        sa.Column("rubric_slug", sa.String(length=100), nullable=False),
        sa.Column("rubric_hash", sa.String(length=64), nullable=False),
        sa.Column("rubric_version_id", sa.String(length=40), nullable=True),
        sa.Column("judge_strategy", sa.String(length=100), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("cached", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("agent", sa.String(length=200), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("queue", sa.String(length=200), nullable=True),
        sa.Column("job_id", sa.String(length=40), nullable=True),
        sa.Column("item_id", sa.String(length=200), nullable=True),
        sa.Column("grade", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_version_id"],
            ["rubric_versions.id"],
            name=op.f("fk_grades_rubric_version_id_rubric_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grades_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grades")),
        sa.UniqueConstraint("tenant_id", "job_id", "item_id", name=op.f("uq_grades_tenant_id")),
    )
    with op.batch_alter_table("grades", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grades_rubric_version_id"), ["rubric_version_id"], unique=False
        )
        batch_op.create_index("ix_grades_tenant_created", ["tenant_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_grades_tenant_transcript", ["tenant_id", "transcript_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("grades", schema=None) as batch_op:
        batch_op.drop_index("ix_grades_tenant_transcript")
        batch_op.drop_index("ix_grades_tenant_created")
        batch_op.drop_index(batch_op.f("ix_grades_rubric_version_id"))

    op.drop_table("grades")
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_versions_tenant_id"))

    op.drop_table("rubric_versions")
    with op.batch_alter_table("calibration_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_runs_tenant_id"))

    op.drop_table("calibration_runs")
    with op.batch_alter_table("rubrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubrics_tenant_id"))

    op.drop_table("rubrics")
    with op.batch_alter_table("calibration_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_sets_tenant_id"))

    op.drop_table("calibration_sets")
