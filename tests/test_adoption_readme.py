"""The README's "Adopting the plugin" section is the adoption script's input, step for step.

`tests/adoption/adopt.py` (run by CI) performs exactly the fenced blocks of that section on a
brand-new site. These fast checks (no network) keep the section in the shape the script reads
and prove its settings and URL blocks give a `wagtail start` site that passes the system
checks, so a README edit that would break the adoption fails `make test` already.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adoption.adopt import README, AdoptionError, Session, readme_steps

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def steps():
    return readme_steps(README.read_text(encoding="utf-8"))


def test_the_section_is_install_configure_check(steps):
    assert [(step.kind, step.path) for step in steps] == [
        ("shell", ""),
        ("append", "mysite/settings/base.py"),
        ("insert", "mysite/urls.py"),
        ("shell", ""),
    ]
    install, *_edits, finish = steps
    commands = [line for line in install.text.splitlines() if line and not line.startswith("#")]
    assert "pip install wagtail_press_releases-*.whl" in commands
    assert "wagtail start mysite" in commands
    assert commands[-1] == "cd mysite"
    assert "python manage.py check --fail-level WARNING" in finish.text
    assert "python manage.py migrate" in finish.text


def test_the_blocks_configure_a_wagtail_start_site_that_passes_the_checks(steps, tmp_path):
    wagtail = Path(sys.executable).parent / "wagtail"
    subprocess.run([wagtail, "start", "mysite"], cwd=tmp_path, check=True, capture_output=True)
    session = Session(tmp_path / "mysite")
    for step in steps:
        if step.kind != "shell":
            session.edit(step)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's press, the site's own home
    env.pop("DJANGO_SETTINGS_MODULE", None)
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=tmp_path / "mysite",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
    urls = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import resolve; "
            "print(resolve('/api/press/releases').route, resolve('/api/v2/pages/1/').route)",
        ],
        cwd=tmp_path / "mysite",
        env={**env, "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert urls.returncode == 0, urls.stderr
    assert "api/press/" in urls.stdout and "api/v2/" in urls.stdout
    # The image listing shows each photo's credit and rights end only when the plugin's
    # templates win over Wagtail's, i.e. `press` comes before `wagtail.images`.
    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.template.loader import get_template; "
            "print(get_template('wagtailimages/images/results_image.html').origin.name)",
        ],
        cwd=tmp_path / "mysite",
        env={**env, "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    assert Path(listing.stdout.strip()).is_relative_to(ROOT / "press" / "templates")


SECTION = "## Adopting the plugin in another Wagtail site\n\n"


@pytest.mark.parametrize(
    ("section", "complaint"),
    [
        ("```python\nX = 1\n```\n", "must start with"),
        ("```toml\n[x]\n```\n", "only ```sh"),
        ("```sh\npip install x\n\n```python\n# a.py — add at the end\n```\n", "never closed"),
        ("Nothing to do.\n\n## Next\n\n```sh\nls\n```\n", "no steps"),
    ],
)
def test_a_block_the_script_cannot_perform_is_an_error(section, complaint):
    with pytest.raises(AdoptionError, match=complaint):
        readme_steps("# Title\n\n" + SECTION + section)
