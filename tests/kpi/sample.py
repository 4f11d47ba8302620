"""The shipped sample year in a database of its own, once per test session, for the export tests to read."""

from datetime import date

import pytest

from data_model import assessment
from data_model.db import make_engine, session
from data_model.projects import find_project
from data_model.setup import init_database

YEAR_END = date(2024, 12, 31)


@pytest.fixture(scope="session")
def sample_year_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}"
    engine = make_engine(url)
    list(init_database(engine, sample=True))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sample_assessment(sample_year_url) -> assessment.SelfAssessment:
    """The sample year's self-assessment at year end: 87.99 暂定 (长效管理机制 not yet judged)."""
    engine = make_engine(sample_year_url)
    with session(engine) as s:
        sa = assessment.load(s, find_project(s), YEAR_END)
    engine.dispose()
    return sa
