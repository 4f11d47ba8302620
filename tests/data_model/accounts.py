"""Passwords for the tests: the one of every account a test makes,
and the demo accounts' names and passwords by role."""

from data_model.auth import DEMO_USERS

PASSWORD = "correct-horse-42"
PASSWORDS = {role: password for _, _, role, password in DEMO_USERS}
USERNAMES = {role: username for username, _, role, _ in DEMO_USERS}
