"""The service's storage: SQLAlchemy 2 tables on one `Base`, and Alembic migrations.

    db = open_database(settings.database)   # SQLite file by default, PostgreSQL via DATABASE_URL
    upgrade(db.engine)                      # alembic upgrade head
    with db.session() as session: ...

Every table holding a tenant's data has `tenant_id`; the application layer filters by it.
"""

from app.storage._base import TENANT_PATTERN, Base, UTCDateTime, new_id, utcnow
from app.storage._engine import Database, make_engine, open_database
from app.storage._migrate import (
    MIGRATIONS,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from app.storage._records import (
    CalibrationRunRecord,
    CalibrationSetRecord,
    GradeRecord,
    RubricRecord,
    RubricVersion,
    RubricVersionImmutableError,
)
from app.storage._tenants import ApiKey, Tenant

__all__ = [
    "MIGRATIONS",
    "TENANT_PATTERN",
    "ApiKey",
    "Base",
    "CalibrationRunRecord",
    "CalibrationSetRecord",
    "Database",
    "GradeRecord",
    "RubricRecord",
    "RubricVersion",
    "RubricVersionImmutableError",
    "Tenant",
    "UTCDateTime",
    "alembic_config",
    "current_revision",
    "head_revision",
    "make_engine",
    "new_id",
    "open_database",
    "upgrade",
    "utcnow",
]
