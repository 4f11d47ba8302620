"""The embedded SQLite database: created private to the account running the app."""

from data_model.db import create_schema, make_engine


def test_the_database_file_is_created_readable_by_its_owner_only(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'kpi.db'}")
    create_schema(engine)  # writes, so that SQLite makes its -wal and -shm files as well
    folder = tmp_path / "data"
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in [folder, *folder.iterdir()]}
    engine.dispose()
    assert modes == {"data": "0o700", "kpi.db": "0o600", "kpi.db-wal": "0o600", "kpi.db-shm": "0o600"}
