"""Storage: migrations reach one head that matches the tables; keys authenticate safely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import storage
from app._errors import AuthenticationError, NotFoundError, ScopeError
from app._tenancy import authenticate, create_key, hash_key, list_keys, rotate_key
from app.storage import Base, Database, Tenant, open_database, upgrade
from grader._errors import InputError


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    upgrade(database.engine)
    yield database
    database.close()


def test_migrations_reach_one_head_matching_the_tables(db: Database) -> None:
    assert storage.current_revision(db.engine) == storage.head_revision()
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"tables and migrations differ: {diff}"
    upgrade(db.engine)  # a second run changes nothing
    assert storage.current_revision(db.engine) == storage.head_revision()


def test_timestamps_come_back_aware_utc(db: Database) -> None:
    with db.session() as session:
        session.add(Tenant(id="acme", name="Acme"))
    with db.session() as session:
        created = session.get(Tenant, "acme")
        assert created is not None and created.created_at.utcoffset() is not None


def test_keys_are_stored_hashed_and_authenticate(db: Database) -> None:
    with db.session() as session:
        issued = create_key(session, "acme", ["grade", "coach"], name="ci")
    with db.session() as session:
        (record,) = list_keys(session, "acme")
        assert record.key_hash == hash_key(issued.key) and issued.key not in record.key_hash
        caller = authenticate(session, issued.key)
    assert caller.tenant_id == "acme" and caller.scopes == {"coach", "grade"}
    caller.require("grade")
    with pytest.raises(ScopeError, match="review"):
        caller.require("review")


@pytest.mark.parametrize("presented", [None, "", "nonsense", "igk_" + "a" * 16 + "_" + "b" * 43])
def test_bad_keys_are_refused(db: Database, presented: str | None) -> None:
    with db.session() as session, pytest.raises(AuthenticationError):
        authenticate(session, presented)


def test_a_tampered_secret_is_refused(db: Database) -> None:
    with db.session() as session:
        issued = create_key(session, "acme", ["grade"])
    tampered = issued.key[:-1] + ("A" if issued.key[-1] != "A" else "B")
    with db.session() as session, pytest.raises(AuthenticationError):
        authenticate(session, tampered)


def test_rotation_revokes_the_old_key(db: Database) -> None:
    with db.session() as session:
        old = create_key(session, "acme", ["admin"])
    with db.session() as session:
        new = rotate_key(session, old.record.id)
    with db.session() as session:
        assert authenticate(session, new.key).scopes == {"admin"}
        with pytest.raises(AuthenticationError):
            authenticate(session, old.key)
        with pytest.raises(NotFoundError):
            rotate_key(session, old.record.id)


def test_bad_scopes_and_tenants_are_named(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(InputError, match="superuser"):
            create_key(session, "acme", ["superuser"])
        with pytest.raises(InputError, match="tenant 'Bad Tenant'"):
            create_key(session, "Bad Tenant", ["grade"])


def test_a_rubric_version_cannot_be_changed_in_place(db: Database) -> None:
    from app.storage import RubricRecord, RubricVersion, RubricVersionImmutableError

    with db.session() as session:
        session.add(Tenant(id="acme", name="Acme"))
        session.flush()
        session.add(RubricRecord(id="rub_1", tenant_id="acme", slug="cx"))
        session.flush()
        session.add(
            RubricVersion(
                id="rv_1", rubric_id="rub_1", tenant_id="acme", number=1,
                content_hash="sha256:1", document={"id": "cx"},
            )
        )  # fmt: skip
    with pytest.raises(RubricVersionImmutableError), db.session() as session:
        version = session.get(RubricVersion, "rv_1")
        assert version is not None
        version.document = {"id": "changed"}
    with db.session() as session:
        kept = session.get(RubricVersion, "rv_1")
        assert kept is not None and kept.document == {"id": "cx"}
