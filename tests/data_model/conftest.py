"""Fixtures for the data-model tests: cheap password hashing for all, the seed project holding one import, accounts,
and a second tenant."""

import pytest
from argon2 import PasswordHasher, profiles

from data_model import auth
from data_model.auth import create_user
from data_model.importer import import_workbook
from kpi.projects import create_project
from tests.data_model.accounts import PASSWORD
from tests.data_model.meilong import performance_table
from tests.data_model.workbooks import GOOD, good, upload


@pytest.fixture
def stored(db, project):
    """The seed project holding GOOD's row of every sheet, imported as batch 1."""
    import_workbook(
        db, project, upload(**{name: [good(name)] for name in GOOD}), file_name="2024-03.xlsx", uploaded_by="staff"
    )
    return project


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """argon2's cheapest parameters, to keep the account tests fast."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def users(db):
    """One account per role, plus a second admin: username = role, chief = the other admin."""
    made = {role: create_user(db, role, PASSWORD, role, by="setup") for role in auth.ROLES}
    made["chief"] = create_user(db, "chief", PASSWORD, "admin", by="setup")
    return made


@pytest.fixture
def meilong(db):
    """The second tenant's 2025 project, created from its performance table."""
    return create_project(db, performance_table())
