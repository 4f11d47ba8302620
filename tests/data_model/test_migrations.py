"""Schema migrations (Alembic): a new database is built by them, an older one is upgraded without losing rows."""

import shutil
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from data_model import db as db_module
from data_model.db import SchemaMismatch, alembic_config, create_schema, session
from data_model.importer import import_workbook
from data_model.models import Indicator, Judgment
from kpi.evaluate import evaluate
from kpi.projects import create_project
from kpi.setup import SEED_TABLE, sample_workbooks
from tests.data_model.workbooks import contents
from tests.helpers import empty

# A later migration, as a developer would add one: a new column on a table holding rows.
SECOND_REVISION = '''"""Expense notes."""

import sqlalchemy as sa
from alembic import op

revision = "next"
down_revision = "{head}"


def upgrade() -> None:
    with op.batch_alter_table("expense") as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(), nullable=False, server_default="无"))
'''


HEAD = "0008"


def revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def with_sample_records(engine) -> dict[str, list[dict]]:
    """The seed project and its first three months, as stored."""
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        for path in sample_workbooks()[:4]:
            import_workbook(s, project, path.read_bytes(), file_name=path.name, uploaded_by="测试")
        return contents(s)


@pytest.fixture
def blank(engine):
    """The test database with no tables at all."""
    empty(engine)
    return engine


def test_a_new_database_gets_the_schema_the_models_declare(blank):
    create_schema(blank)
    assert revision(blank) == HEAD
    with (
        blank.connect() as connection
    ):  # what `alembic check` compares: tables, columns, types, indexes, unique constraints
        assert (
            compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
            == []
        )


def test_creating_the_schema_again_changes_nothing(blank):
    create_schema(blank)
    before = with_sample_records(blank)
    create_schema(blank)
    with session(blank) as s:
        assert contents(s) == before
    assert revision(blank) == HEAD


def test_a_database_made_before_migrations_is_recorded_as_the_initial_revision_keeping_its_rows(blank):
    create_schema(blank)
    before = with_sample_records(blank)  # stored by today's models, then taken back to the tables as every
    with blank.begin() as connection:  # database had them before migrations existed (the rows stay)
        command.downgrade(alembic_config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
    create_schema(blank)
    assert revision(blank) == HEAD
    with session(blank) as s:
        assert contents(s) == before


def test_a_database_made_by_create_all_is_recorded_as_the_latest_revision(blank):
    SQLModel.metadata.create_all(blank)  # how the tests make their databases
    create_schema(blank)
    assert revision(blank) == HEAD


def test_a_database_with_other_tables_of_the_same_names_is_refused_untouched(blank):
    with blank.begin() as connection:
        connection.execute(text("CREATE TABLE project (id INTEGER PRIMARY KEY, title VARCHAR)"))
    with pytest.raises(SchemaMismatch, match="数据库没有迁移记录，且数据表与初始版本不一致（.*project.*）"):
        create_schema(blank)
    assert inspect(blank).get_table_names() == ["project"]


def test_a_later_migration_upgrades_an_old_database_without_losing_rows(blank, tmp_path, monkeypatch):
    create_schema(blank)
    before = with_sample_records(blank)
    migrations = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9999_expense_note.py").write_text(SECOND_REVISION.format(head=HEAD))
    monkeypatch.setattr(db_module, "MIGRATIONS", migrations)
    try:
        create_schema(blank)
        assert revision(blank) == "next"
        with session(blank) as s:
            assert contents(s) == before
            assert set(s.connection().execute(text("SELECT note FROM expense")).scalars()) == {"无"}
    finally:
        empty(blank)  # the next test's create_all knows nothing of the new column
        with blank.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS expense"))


def test_judgments_stored_before_not_applicable_existed_stay_applicable(blank):
    create_schema(blank)
    with session(blank) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
    with blank.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    with session(blank) as s:
        indicator = s.exec(text("SELECT id FROM indicator WHERE seq = 18")).scalar()
        s.exec(
            text(
                "INSERT INTO judgment (indicator_id, tier, score, reason, deviation_reason, judged_by, judged_at) "
                "VALUES (:id, '达成年度指标', 9.0, '制度健全', '', 'evaluator', '2025-01-10 08:00:00')"
            ).bindparams(id=indicator)
        )
        s.commit()
    create_schema(blank)
    assert revision(blank) == HEAD
    with session(blank) as s:
        [judgment] = s.exec(select(Judgment)).all()
        assert (judgment.tier, judgment.score, judgment.not_applicable) == ("达成年度指标", 9.0, False)
        assert evaluate(s, project, date(2024, 12, 31)).indicators[17].score == 9.0


OLD = 50 / 15  # the old default weight of each 成本/产出 indicator, to the full float
ADMIN = [4.0] * 5 + [3.0] * 10  # 50 set by an admin


@pytest.mark.parametrize(
    ("stored", "upgraded", "scores"),
    [
        # the old default gets the largest-remainder split; a judged or overriding score keeps its share, in points
        ([OLD] * 15, [3.34] * 5 + [3.33] * 10, {1: 3.34, 2: None, 7: 3.0, 18: 9.0}),
        (ADMIN, ADMIN, {1: OLD, 2: None, 7: 3.0, 18: 9.0}),  # an admin's weights, and their scores, stay
    ],
)
def test_stored_default_weights_get_the_largest_remainder_split_and_admin_weights_stay(blank, stored, upgraded, scores):
    create_schema(blank)
    with session(blank) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
    with blank.begin() as connection:  # the tables as they were at 0003, holding the project
        command.downgrade(alembic_config(connection), "0003")
    with session(blank) as s:
        ids = dict(s.exec(text("SELECT seq, id FROM indicator")).all())
        for seq, weight in enumerate(stored, start=1):
            s.exec(text("UPDATE indicator SET weight = :w WHERE id = :id").bindparams(w=weight, id=ids[seq]))
        for seq, score in {1: OLD, 2: None, 7: 3.0, 18: 9.0}.items():  # full marks, 不适用, an override, 效益
            s.exec(
                text(
                    "INSERT INTO judgment (indicator_id, tier, score, reason, not_applicable, deviation_reason, "
                    "judged_by, judged_at) VALUES (:id, NULL, :score, '理由', :na, '', 'evaluator', '2025-01-10')"
                ).bindparams(id=ids[seq], score=score, na=score is None)
            )
        s.commit()
    create_schema(blank)
    assert revision(blank) == HEAD
    with session(blank) as s:
        weights = [i.weight for i in s.exec(select(Indicator).order_by(Indicator.seq))]
        assert weights == upgraded + [10.0] * 3 + [5.0] * 2
        by_seq = dict(s.exec(select(Indicator.seq, Judgment.score).join(Judgment)).all())
        assert by_seq == scores
        assert evaluate(s, project, date(2024, 12, 31)).budget.weight + sum(weights) == pytest.approx(100)


def test_the_weights_migration_goes_back_to_the_even_split(blank):
    create_schema(blank)
    with session(blank) as s:
        create_project(s, SEED_TABLE.read_bytes())  # the largest-remainder split
    with blank.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    with session(blank) as s:
        weights = list(s.connection().execute(text("SELECT weight FROM indicator ORDER BY seq")).scalars())
    assert weights == [OLD] * 15 + [10.0] * 3 + [5.0] * 2
