"""The supported combinations, each a session: `nox` (all), `nox -s "tests(3.13-django6.1)"`,
`nox -s tests_postgres` with DATABASE_URL set. `make test` runs the default one (3.11 / 5.2)
in .venv; `make test-matrix` runs these.

Extra pytest arguments follow `--`: `nox -s tests -- -m "not browser" tests/test_pages.py`."""

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]

# (Python, Django): the oldest supported pair, the middle one, and the newest. Django 6.x
# needs Python 3.12 or later; Wagtail 8.0.x declares Django 5.2, 6.0 and 6.1.
COMBINATIONS = [("3.11", "5.2"), ("3.12", "6.0"), ("3.13", "6.1")]


def django_spec(version: str) -> str:
    major, minor = map(int, version.split("."))
    following = f"{major + 1}.0" if minor == 2 else f"{major}.{minor + 1}"
    return f"Django>={version},<{following}"


def install(session: nox.Session, django: str) -> None:
    session.install("-e", ".[dev]", django_spec(django))


@nox.session
@nox.parametrize(
    "python,django",
    [nox.param(python, django, id=f"{python}-django{django}") for python, django in COMBINATIONS],
)
def tests(session: nox.Session, django: str) -> None:
    """The suite on SQLite (or on the database DATABASE_URL names, when set)."""
    install(session, django)
    session.run("pytest", *session.posargs)


@nox.session
@nox.parametrize(
    "python,django",
    [nox.param(python, django, id=f"{python}-django{django}") for python, django in COMBINATIONS],
)
def tests_postgres(session: nox.Session, django: str) -> None:
    """The suite on PostgreSQL: DATABASE_URL must name a database the tests may create."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        session.error("Set DATABASE_URL=postgres://user@host:port/name for this session.")
    install(session, django)
    session.run("pytest", *session.posargs, env={"DATABASE_URL": url})
