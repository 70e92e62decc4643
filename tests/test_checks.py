"""The plugin's system checks as an adopting site sees them: `manage.py check` names what is
wrong with an id and says how to fix it, and a correct host gets no message at all."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

import press.checks
from press.checks import known_defaults

ROOT = Path(__file__).resolve().parent.parent
IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
GOOD_SECRET = "whsec_3nN4aiKXl7oXkc+wGx/Cmdf0mGK9yQacuY1mj1i70b0="


def press_messages(**press):
    """The plugin's messages for a host whose PRESS adds `press` to its own."""
    from django.conf import settings

    with override_settings(PRESS={**settings.PRESS, **press}):
        return [m for m in run_checks() if m.id.startswith("press.")]


def only(messages, check_id):
    found = [m for m in messages if m.id == check_id]
    assert len(found) == 1, [f"{m.id}: {m.msg}" for m in messages]
    return found[0]


def test_the_host_site_is_clean():
    assert [m for m in run_checks() if m.id.startswith("press.")] == []
    call_command("check")  # raises on any error


def test_every_id_is_in_the_table_at_the_top_of_the_module():
    source = Path(press.checks.__file__).read_text()
    table = press.checks.__doc__
    ids = {part.split('"')[0] for part in source.split('id="')[1:]}
    assert ids and all(f"{check_id} " in table for check_id in ids)


# --- apps ---------------------------------------------------------------------------------------


def host_check(
    tmp_path, *settings_lines: str, command: tuple[str, ...] = ("check",)
) -> subprocess.CompletedProcess:
    """`manage.py check` (or `command`) of a host whose settings are the test settings plus
    these lines, in a new interpreter: the plugin's modules are imported under them, and the
    app registry (which Wagtail's apps do not let a test populate twice) is the host's own."""
    (tmp_path / "host_settings.py").write_text(
        "\n".join(["from cms.settings.test import *  # noqa", *settings_lines, ""])
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "host_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_apps_are_named_with_the_fix(tmp_path):
    result = host_check(
        tmp_path,
        "INSTALLED_APPS = [app for app in INSTALLED_APPS",
        "    if app not in ('wagtail_modeladmin', 'wagtail.contrib.routable_page')]",
    )

    assert result.returncode == 1
    assert "press.E001" in result.stderr
    assert "wagtail.contrib.routable_page, wagtail_modeladmin" in result.stderr
    assert "HINT: Add them to INSTALLED_APPS" in result.stderr


def test_a_frontend_cache_without_its_app_would_purge_nothing(tmp_path):
    result = host_check(
        tmp_path,
        "INSTALLED_APPS = [a for a in INSTALLED_APPS if a != 'wagtail.contrib.frontend_cache']",
        "WAGTAILFRONTENDCACHE = {'varnish': {",
        "    'BACKEND': 'wagtail.contrib.frontend_cache.backends.HTTPBackend',",
        "    'LOCATION': 'http://127.0.0.1:6081'}}",
    )

    assert result.returncode == 1
    assert "press.E007" in result.stderr
    assert "HINT: Add 'wagtail.contrib.frontend_cache' to INSTALLED_APPS." in result.stderr


def test_press_after_wagtail_images_is_warned_with_the_fix(tmp_path):
    result = host_check(
        tmp_path,
        "INSTALLED_APPS = [a for a in INSTALLED_APPS if a != 'press'] + ['press']",
    )

    assert "press.W006" in result.stderr
    assert "shows Wagtail's own cells without each photo's credit" in result.stderr
    assert 'HINT: Move "press" (and its parts) above the wagtail apps' in result.stderr


def test_the_core_alone_knows_the_import_settings_and_has_the_command(tmp_path):
    # The archive importer is part of "press": a site with none of the optional parts checks
    # clean with its IMPORT_* keys and has `manage.py import_press_release`.
    result = host_check(
        tmp_path,
        "INSTALLED_APPS = [a for a in INSTALLED_APPS",
        "    if a not in ('press.subscriptions', 'press.distribution', 'press.mailings')]",
        "PRESS = {k: v for k, v in PRESS.items()",
        "    if not k.startswith(('SUBSCRIPTION_', 'MAIL_', 'JOURNALIST_'))}",
        "PRESS = {**PRESS, 'IMPORT_TIME_ZONE': 'Europe/Berlin', 'IMPORT_PUBLICATION_HOUR': 9}",
        command=("check", "--fail-level", "WARNING"),
    )
    assert result.returncode == 0, result.stderr
    assert "press.E003" not in result.stderr

    help_result = host_check(
        tmp_path,
        "INSTALLED_APPS = [a for a in INSTALLED_APPS",
        "    if a not in ('press.subscriptions', 'press.distribution', 'press.mailings')]",
        command=("help", "--commands"),
    )
    assert help_result.returncode == 0, help_result.stderr
    commands = help_result.stdout.split()
    assert {"export_text_versions", "import_press_release"} <= set(commands)


def test_the_former_importer_app_in_installed_apps_is_warned_with_the_fix(tmp_path):
    # Until 1.0 the importer was the app "press.importer", and the 1.0 documents say to add
    # it; listed now, it does nothing (the command comes from "press", once).
    result = host_check(
        tmp_path,
        "INSTALLED_APPS = ['press.importer', *INSTALLED_APPS]",
        command=("check", "--fail-level", "WARNING"),
    )

    assert result.returncode == 1
    assert "press.W007" in result.stderr
    assert '"press.importer" is in INSTALLED_APPS' in result.stderr
    assert 'HINT: Remove "press.importer" from INSTALLED_APPS' in result.stderr
    assert re.findall(r"\((press\.[EWI]\d{3})\)", result.stderr) == ["press.W007"]

    commands = host_check(
        tmp_path,
        "INSTALLED_APPS = ['press.importer', *INSTALLED_APPS]",
        command=("help", "--commands"),
    )
    assert commands.returncode == 0, commands.stderr
    assert commands.stdout.split().count("import_press_release") == 1


# --- PRESS itself -----------------------------------------------------------------------------


def test_press_that_is_not_a_dict_is_reported_not_a_crash():
    with override_settings(PRESS=[("PAGE_SIZE", 10)]):
        messages = [m for m in run_checks() if m.id.startswith("press.")]
    error = only(messages, "press.E002")
    assert "PRESS must be a dict" in error.msg
    assert "PRESS = {" in error.hint
    # Every other check falls back to the defaults instead of failing on it.
    assert [m.id for m in messages] == ["press.E002"]


def test_an_unknown_key_is_named_with_the_known_ones():
    error = only(press_messages(PAGESIZE=20), "press.E003")
    assert "PAGESIZE" in error.msg
    assert "PAGE_SIZE" in error.hint


# --- webhooks ---------------------------------------------------------------------------------


def test_a_webhook_backend_missing_from_tasks_is_named_with_the_aliases_there_are():
    with override_settings(TASKS={"default": IMMEDIATE}):
        error = only(
            press_messages(
                WEBHOOK_TASK_BACKEND="webhooks",
                DOCUMENT_TASK_BACKEND="default",
                MAIL_TASK_BACKEND="default",
            ),
            "press.E004",
        )
    assert "'webhooks'" in error.msg
    assert "default" in error.hint
    assert "TASKS['webhooks']" in error.hint


def test_a_document_backend_missing_from_tasks_is_named_too():
    with override_settings(TASKS={"default": IMMEDIATE}):
        error = only(
            press_messages(
                WEBHOOK_TASK_BACKEND="default",
                DOCUMENT_TASK_BACKEND="rebuilds",
                MAIL_TASK_BACKEND="default",
            ),
            "press.E004",
        )
    assert "DOCUMENT_TASK_BACKEND" in error.msg and "'rebuilds'" in error.msg


def test_a_mail_backend_missing_from_tasks_is_named_too():
    with override_settings(TASKS={"default": IMMEDIATE}):
        error = only(
            press_messages(
                WEBHOOK_TASK_BACKEND="default",
                DOCUMENT_TASK_BACKEND="default",
                MAIL_TASK_BACKEND="mail",
            ),
            "press.E004",
        )
    assert "MAIL_TASK_BACKEND" in error.msg and "'mail'" in error.msg
    assert "TASKS['mail']" in error.hint


@pytest.mark.parametrize("value", ["", "/", "abo links/", None])
def test_the_subscription_path_must_be_a_path(value):
    error = only(press_messages(SUBSCRIPTION_PATH=value), "press.E011")
    assert "SUBSCRIPTION_PATH" in error.msg
    assert "'subscriptions/'" in error.hint


def test_a_host_without_a_webhooks_backend_and_default_press_is_clean():
    """The original bug: the delivery task was bound to a "webhooks" backend at import, so a
    host without one could not even start. The default now is the "default" backend."""
    with override_settings(TASKS={"default": IMMEDIATE}, PRESS={}):
        assert [m for m in run_checks() if m.id.startswith("press.")] == []
        call_command("check")


def test_a_fresh_host_process_without_a_webhooks_backend_starts(tmp_path):
    result = host_check(tmp_path, f"TASKS = {{'default': {IMMEDIATE!r}}}", "PRESS = {}")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "endpoints",
    [
        [{"url": "ftp://receiver.example/hook", "secret": GOOD_SECRET}],
        [{"secret": GOOD_SECRET}],
        ["https://receiver.example/hook"],
    ],
)
def test_a_webhook_without_an_http_address_is_reported(endpoints):
    error = only(press_messages(WEBHOOKS=endpoints), "press.E005")
    assert "PRESS['WEBHOOKS'][0]" in error.msg
    assert '"url": "https://' in error.hint


def test_webhooks_that_are_not_a_list_are_reported():
    error = only(press_messages(WEBHOOKS="https://receiver.example/hook"), "press.E005")
    assert "must be a list" in error.msg


def test_a_webhook_without_a_secret_is_reported_with_how_to_make_one():
    error = only(
        press_messages(WEBHOOKS=[{"url": "https://receiver.example/hook", "secret": ""}]),
        "press.E006",
    )
    assert "https://receiver.example/hook" in error.msg
    assert "secrets.token_bytes" in error.hint and "whsec_" in error.hint


def test_a_standard_webhooks_secret_that_is_not_base64_is_reported():
    broken = "whsec_not-base64_but-url-safe"
    error = only(
        press_messages(WEBHOOKS=[{"url": "https://receiver.example/hook", "secret": broken}]),
        "press.E008",
    )
    assert "not base64" in error.msg
    assert broken not in error.msg + error.hint  # a secret never goes to a log
    assert "whsec_" in error.hint


def test_a_short_secret_is_a_warning_and_a_good_one_passes():
    short = press_messages(WEBHOOKS=[{"url": "https://r.example/hook", "secret": "kurz"}])
    warning = only(short, "press.W002")
    assert "4 bytes" in warning.msg
    assert "secrets.token_bytes" in warning.hint

    good = [
        {"url": "https://r.example/hook", "secret": GOOD_SECRET},
        {"url": "http://127.0.0.1:8080/hook", "secret": "a-plain-secret-of-at-least-24-bytes"},
    ]
    assert press_messages(WEBHOOKS=good) == []


def test_check_command_stops_a_deploy_on_an_unsigned_webhook(capsys):
    # `migrate` runs the same checks: a deploy stops here, not at the first publish.
    with (
        override_settings(PRESS={"WEBHOOKS": [{"url": "https://r.example/hook"}]}),
        pytest.raises(SystemCheckError) as raised,
    ):
        call_command("check")

    assert "press.E006" in str(raised.value)
    assert "HINT: Give each endpoint a random secret" in str(raised.value)


# --- values of PRESS keys ---------------------------------------------------------------------


@pytest.mark.parametrize("name", press.checks.COUNTS)
@pytest.mark.parametrize("value", [0, -3, "10", 2.5, True, None])
def test_counts_must_be_positive_whole_numbers(name, value):
    error = only(press_messages(**{name: value}), "press.E009")
    assert f"PRESS[{name!r}] is {value!r}" in error.msg
    assert f"default ({known_defaults()[name]!r})" in error.hint


@pytest.mark.parametrize("value", [(), "400,800", (400, 0), (400, "800"), 800, [400.0]])
def test_image_widths_must_be_positive_pixel_widths(value):
    error = only(press_messages(IMAGE_WIDTHS=value), "press.E010")
    assert "IMAGE_WIDTHS" in error.msg
    assert "(400, 800, 1600)" in error.hint


def test_image_widths_may_be_a_list():
    assert press_messages(IMAGE_WIDTHS=[320, 640]) == []


@pytest.mark.parametrize("value", ["", "/", "embargo links/", "vorab/<token>", None])
def test_embargo_path_must_be_a_path(value):
    error = only(press_messages(EMBARGO_PATH=value), "press.E011")
    assert "EMBARGO_PATH" in error.msg
    assert "'embargo/'" in error.hint


@pytest.mark.parametrize("value", ["presse-vorab/", "presse/vorab", "/vorab/"])
def test_embargo_paths_that_work(value):
    assert press_messages(EMBARGO_PATH=value) == []


@pytest.mark.parametrize("value", ["Europe/Düsseldorf", "CEST", "", "../etc/passwd", 1])
def test_import_time_zone_must_be_a_zone_name(value):
    error = only(press_messages(IMPORT_TIME_ZONE=value), "press.E012")
    assert repr(value) in error.msg
    assert "'Europe/Berlin'" in error.hint


def test_import_time_zone_may_be_a_zone_or_none():
    assert press_messages(IMPORT_TIME_ZONE="America/New_York") == []
    assert press_messages(IMPORT_TIME_ZONE=None) == []


@pytest.mark.parametrize(
    "setting",
    [
        {"WEBHOOK_TIMEOUT": 0},
        {"WEBHOOK_TIMEOUT": "5"},
    ],
)
def test_webhook_timings_must_be_seconds(setting):
    (name,) = setting
    error = only(press_messages(**setting), "press.E013")
    assert name in error.msg
    assert "default" in error.hint


def test_webhook_timings_that_work():
    assert press_messages(WEBHOOK_TIMEOUT=2.5) == []


@pytest.mark.parametrize("name", ["FRONTEND_URL", "BASE_URL"])
@pytest.mark.parametrize("value", ["www.example.org", "/preview", "ftp://example.org", None])
def test_frontend_and_base_url_must_be_absolute(name, value):
    error = only(press_messages(**{name: value}), "press.E014")
    assert name in error.msg
    assert "https://www.example.org" in error.hint


def test_frontend_url_may_be_empty_or_an_address():
    assert press_messages(FRONTEND_URL="", BASE_URL="") == []
    assert press_messages(FRONTEND_URL="https://www.example.org/", BASE_URL="http://cms:8000") == []


@pytest.mark.parametrize("value", [24, -1, "10", 9.5])
def test_import_publication_hour_must_be_an_hour(value):
    error = only(press_messages(IMPORT_PUBLICATION_HOUR=value), "press.E015")
    assert "0 to 23" in error.msg


# --- uploads ----------------------------------------------------------------------------------


@override_settings(WAGTAILIMAGES_IMAGE_FORM_BASE="wagtail.images.forms.BaseImageForm")
def test_uploads_without_the_press_image_form_are_a_warning():
    messages = press_messages()
    warning = only(messages, "press.W001")
    assert "WAGTAILIMAGES_IMAGE_FORM_BASE = 'press.images.PressImageForm'" in warning.hint
    # A warning: `check` shows it but does not fail.
    call_command("check")


# --- third parties in the admin -------------------------------------------------------------


def test_a_host_with_wagtail_s_gravatar_default_is_warned(settings):
    del settings.WAGTAIL_GRAVATAR_PROVIDER_URL  # Wagtail's default: www.gravatar.com
    warning = only(press_messages(), "press.W004")
    assert "gravatar.com" in warning.msg
    assert warning.hint == "Set WAGTAIL_GRAVATAR_PROVIDER_URL = None (the admin shows initials)."


@pytest.mark.parametrize(
    ("provider", "warned"),
    [
        ("https://secure.gravatar.com/avatar", True),
        ("//www.gravatar.com/avatar?d=identicon", True),
        ("https://avatare.duesseldorf.de/avatar", False),  # the office's own service
        (None, False),
    ],
)
def test_gravatar_warning_names_only_gravatar(settings, provider, warned):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = provider
    assert any(m.id == "press.W004" for m in press_messages()) is warned


def test_a_host_that_checks_for_wagtail_updates_from_the_dashboard_is_warned(settings):
    del settings.WAGTAIL_ENABLE_UPDATE_CHECK  # Wagtail's default: on
    warning = only(press_messages(), "press.W005")
    assert "releases.wagtail.org" in warning.msg
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = "lts"
    only(press_messages(), "press.W005")


# --- the host's production settings ---------------------------------------------------------


def production_check(**environ) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-key-of-sixty-chars-",
        "ALLOWED_HOSTS": "example.org",
        "PRESS_WEBHOOK_URLS": "https://receiver.example/hook",
        **environ,
    }
    env.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_webhook_urls_without_a_secret_and_says_how_to_make_one():
    without = production_check()
    assert without.returncode != 0
    assert "PRESS_WEBHOOK_SECRET is not" in without.stderr
    assert "secrets.token_bytes(32)" in without.stderr

    broken = production_check(PRESS_WEBHOOK_SECRET="whsec_~~not-base64~~")
    assert broken.returncode == 1
    assert "press.E008" in broken.stderr

    good = production_check(PRESS_WEBHOOK_SECRET=GOOD_SECRET)
    assert good.returncode == 0, good.stderr
    assert "no issues" in good.stdout
