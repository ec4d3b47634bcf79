"""The migration chain: one head, builds an empty database, and agrees with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from campaigns import MIGRATIONS, create_app
from campaigns.extensions import db
from tests.databases import fresh_database


def test_single_head() -> None:
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"migration branches need merging: {heads}"


def test_empty_database_upgrades_to_head_matching_the_models() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database("migrations")})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert (
                context.get_current_revision()
                == ScriptDirectory(str(MIGRATIONS)).get_current_head()
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_migration_downgrades_and_upgrades_again() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database("roundtrip")})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert (
                context.get_current_revision()
                == ScriptDirectory(str(MIGRATIONS)).get_current_head()
            )
        db.engine.dispose()
