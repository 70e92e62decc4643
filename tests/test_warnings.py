"""A deprecation raised from the plugin or the host site fails the tests (pyproject.toml,
`filterwarnings`), so the next Django's removals show up a release before they break; one
raised inside a dependency does not fail ours."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.utils.deprecation import RemovedAfterNextVersionWarning, RemovedInNextVersionWarning

ROOT = Path(__file__).resolve().parent.parent
WARN = "import warnings\nwarnings.warn('going away', {category}, stacklevel={stacklevel})\n"


def warn_from(module: str, category: str, stacklevel: int = 1) -> None:
    """Warn from code whose module is `module` (the name the filters match)."""
    code = compile(WARN.format(category=category, stacklevel=stacklevel), module, "exec")
    exec(
        code,
        {
            "__name__": module,
            "RemovedInNextVersionWarning": RemovedInNextVersionWarning,
            "RemovedAfterNextVersionWarning": RemovedAfterNextVersionWarning,
        },
    )


@pytest.mark.parametrize(
    "module", ["press", "press.models.pages", "cms.settings.base", "home.models"]
)
@pytest.mark.parametrize(
    "category",
    [
        "DeprecationWarning",
        "PendingDeprecationWarning",
        "RemovedInNextVersionWarning",
        "RemovedAfterNextVersionWarning",
    ],
)
def test_a_deprecation_from_our_code_fails(module, category):
    with pytest.raises(Warning, match="going away"):
        warn_from(module, category)


def test_djangos_deprecation_warnings_fail_wherever_they_come_from():
    with pytest.raises(RemovedInNextVersionWarning):
        warn_from("wagtail.models", "RemovedInNextVersionWarning")


@pytest.mark.parametrize("module", ["wagtail.models", "pressure", "homepage"])
@pytest.mark.parametrize("category", ["DeprecationWarning", "RemovedAfterNextVersionWarning"])
def test_a_dependencys_own_deprecation_is_reported_not_failed(module, category):
    with warnings.catch_warnings(record=True) as caught:
        warn_from(module, category)
    assert [str(warning.message) for warning in caught] == ["going away"]


@pytest.mark.parametrize("settings_module", ["cms.settings.dev", "cms.settings.test"])
def test_the_host_settings_use_no_deprecated_setting(settings_module):
    """Django warns about a deprecated setting while it reads them, naming no module of ours,
    so the filters above do not see it: read them here with every deprecation an error."""
    reading = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::DeprecationWarning",
            "-W",
            "error::PendingDeprecationWarning",
            "-c",
            "from django.conf import settings; settings.INSTALLED_APPS",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert reading.returncode == 0, reading.stderr
