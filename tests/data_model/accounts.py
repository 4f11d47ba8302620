"""Accounts for the account, session and admin tests, hashed with argon2's cheapest parameters to keep them fast."""

import pytest
from argon2 import PasswordHasher, profiles

from data_model import auth
from data_model.auth import create_user

PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def users(db):
    """One account per role, plus a second admin: username = role, chief = the other admin."""
    made = {role: create_user(db, role, PASSWORD, role, by="setup") for role in auth.ROLES}
    made["chief"] = create_user(db, "chief", PASSWORD, "admin", by="setup")
    return made
