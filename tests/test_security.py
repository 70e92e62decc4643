"""Production hardening: CSP on public pages, security headers, admin login throttling."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.factories import PressReleasePageFactory, body_paragraph

REPO = Path(__file__).resolve().parent.parent
EXPECTED_DIRECTIVES = {
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'self'",
    "object-src 'none'",
    "base-uri 'self'",
}


def csp_directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.fixture
def release(newsroom):
    return PressReleasePageFactory(
        parent=newsroom, body=[body_paragraph("<p>Sicher ausgeliefert.</p>")]
    )


def test_public_pages_send_the_content_security_policy(client, release):
    newsroom = release.get_parent()
    for url in ("/", newsroom.url, release.url, release.url + "text/", newsroom.url + "rss/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert csp_directives(response) >= EXPECTED_DIRECTIVES, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


def test_public_pages_send_security_headers(client, release):
    response = client.get(release.url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_admin_is_left_out_of_the_csp_and_still_works(client, db):
    user = get_user_model().objects.create_superuser("chefin", "c@example.org", "geheim-123456")

    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert "Content-Security-Policy" not in login

    client.force_login(user)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Content-Security-Policy" not in dashboard
    assert "<script" in dashboard.content.decode()  # the admin's inline scripts stay allowed


# Admin login throttling. The test settings switch django-axes off because the test client's
# login() passes no request; these tests switch it on.
axes_on = override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "redaktion", "r@example.org", "richtiges-passwort-1"
    )


def admin_login(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@axes_on
def test_correct_password_logs_in_before_any_failure(client, editor):
    response = admin_login(client, "redaktion", "richtiges-passwort-1")

    assert response.status_code == 302
    assert is_logged_in(client)


@axes_on
def test_admin_login_locks_out_after_repeated_failures_even_with_right_password(client, editor):
    for _attempt in range(5):
        response = admin_login(client, "redaktion", "falsch")
        assert not is_logged_in(client)

    response = admin_login(client, "redaktion", "richtiges-passwort-1")

    assert response.status_code == 429
    assert "zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page


@axes_on
def test_lockout_is_per_username_and_address(client, editor):
    get_user_model().objects.create_user("kollegin", "k@example.org", "ihr-passwort-22")
    for _attempt in range(5):
        admin_login(client, "redaktion", "falsch")

    # the colleague at the same desk and the editor at home still get in
    assert admin_login(client, "kollegin", "ihr-passwort-22").status_code == 302
    client.logout()
    assert (
        admin_login(client, "redaktion", "richtiges-passwort-1", "198.51.100.9").status_code == 302
    )


@axes_on
def test_lockout_ends_after_the_cool_off(client, editor):
    for _attempt in range(5):
        admin_login(client, "redaktion", "falsch")
    assert admin_login(client, "redaktion", "richtiges-passwort-1").status_code == 429

    # pretend the cool-off (15 minutes) has passed
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=long_ago)

    response = admin_login(client, "redaktion", "richtiges-passwort-1")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64)[:60],
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
