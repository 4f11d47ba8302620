"""The sample year's self-assessment, read by the export and report tests."""

from datetime import date

import pytest

from data_model.db import make_engine, session
from data_model.projects import find_project
from kpi import assessment


@pytest.fixture(scope="session")
def sample_assessment(sample_url) -> assessment.SelfAssessment:
    """The sample year's self-assessment at year end: 87.98 暂定 (长效管理机制 not yet judged)."""
    engine = make_engine(sample_url)
    with session(engine) as s:
        sa = assessment.load(s, find_project(s), date(2024, 12, 31))
    engine.dispose()
    return sa
