"""The distribution an adopting site installs: the press plugin alone, complete, licensed.

`python -m build` makes the sdist and, from it, the wheel, as a release is made; they are built
from a copy of the checkout without its local state (a stale build/ directory could otherwise
slip files in) with the virtualenv's setuptools, offline.
"""

import email.parser
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import press

ROOT = Path(__file__).resolve().parent.parent
PRESS = ROOT / "press"
# Local state of a working checkout, not sources: a stale build/ could slip files into the wheel.
NOT_SOURCE = (".git", ".venv", "build", "dist", "site", "*.egg-info", "__pycache__", "*.pyc")
NOT_SOURCE += ("node_modules", "media", "staticfiles", "db.sqlite3", ".*_cache", ".hypothesis")


def build(source: Path, out: Path, *options: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, *options, source],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, "python -m build failed\n" + finished.stdout + finished.stderr


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    copy = tmp_path_factory.mktemp("checkout") / "checkout"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    return copy


@pytest.fixture(scope="module")
def dists(source, tmp_path_factory):
    """`python -m build`: the sdist, then the wheel built from the unpacked sdist."""
    out = tmp_path_factory.mktemp("dist")
    build(source, out)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def wheel(dists):
    return dists[1]


@pytest.fixture(scope="module")
def sdist(dists):
    return dists[0]


@pytest.fixture(scope="module")
def names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


@pytest.fixture(scope="module")
def metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


def source_files(pattern):
    return sorted(
        str(path.relative_to(ROOT))
        for path in PRESS.glob(pattern)
        if "__pycache__" not in path.parts
    )


def test_the_wheel_is_named_for_the_plugin(wheel, metadata):
    assert wheel.name.startswith("wagtail_press_releases-")
    assert metadata["Name"] == "wagtail-press-releases"


def test_the_version_is_one_in_the_metadata_the_package_and_the_changelog(sdist, wheel, metadata):
    assert metadata["Version"] == press.__version__
    assert wheel.name.startswith(f"wagtail_press_releases-{press.__version__}-")
    assert sdist.name == f"wagtail_press_releases-{press.__version__}.tar.gz"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## [{press.__version__}] - " in changelog


def test_the_wheel_carries_the_licence(names, metadata, wheel):
    assert metadata["License-Expression"] == "BSD-3-Clause"
    assert metadata.get_all("License-File") == ["LICENSE"]
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(licence).decode()
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "BSD 3-Clause License" in text and "The Pressedienst CMS developers" in text


def test_the_sdist_holds_the_licence_and_changelog_and_builds_the_same_wheel(
    sdist, names, source, tmp_path
):
    with tarfile.open(sdist) as archive:
        members = {member.split("/", 1)[1] for member in archive.getnames() if "/" in member}
    assert {"LICENSE", "README.md", "pyproject.toml", "press/__init__.py"} <= members
    # The wheel of `python -m build` came from the unpacked sdist; one straight from the source
    # tree holds the same files, so the sdist lacks nothing the package needs.
    build(source, tmp_path, "--wheel")
    (direct,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(direct) as archive:
        assert sorted(archive.namelist()) == sorted(names)


def test_twine_check_passes_on_both(sdist, wheel):
    finished = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", sdist, wheel],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.count("PASSED") == 2, finished.stdout


def test_the_wheel_holds_press_alone(names):
    top_level = {name.split("/")[0] for name in names}
    dist_info = {top for top in top_level if top.endswith(".dist-info")}
    assert top_level - dist_info == {"press"}
    # A `wagtail start` site has its own home app; the host site is never packaged.
    for host in ("cms/", "home/", "tests/", "bench/", "templates/", "docker/", "manage.py"):
        assert not any(name.startswith(host) for name in names), host


def test_every_module_template_static_file_and_migration_is_in_it(names):
    wanted = source_files("**/*.py") + source_files("templates/**/*.html")
    wanted += [f for f in source_files("static/**/*") if (ROOT / f).is_file()]
    missing = sorted(set(wanted) - set(names))
    assert not missing
    assert "press/migrations/0001_initial.py" in names
    assert "press/templates/press/press_release_page.html" in names
    assert "press/static/press/press.css" in names


def test_the_translations_ship_compiled(names):
    catalogues = source_files("locale/*/LC_MESSAGES/django.po")
    for po in catalogues:
        assert po in names
        assert po[:-3] + ".mo" in names, f"{po} has no compiled .mo in the wheel"
    if (PRESS / "locale" / "de" / "LC_MESSAGES" / "django.po").exists():
        assert "press/locale/de/LC_MESSAGES/django.mo" in names


def test_it_requires_what_the_plugin_imports_and_not_the_host_site(metadata):
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist")]
    plugin = {r.name.lower() for r in requirements if r.marker is None}
    assert plugin == {
        "wagtail",
        "django",
        "wagtail-modeladmin",
        "django-ninja",
        "pillow",
        "markdown-it-py",
        "isal",
        # The archive export's streaming ZIP writer (ZIP64, to a stream that cannot seek).
        "stream-zip",
    }
    for host_only in ("gunicorn", "whitenoise", "psycopg", "dj-database-url", "redis"):
        assert host_only not in plugin
    wagtail = next(r for r in requirements if r.name == "wagtail")
    assert wagtail.specifier.contains("8.0.1") and not wagtail.specifier.contains("8.1")
    site = {r.name for r in requirements if r.marker and r.marker.evaluate({"extra": "site"})}
    assert {"gunicorn", "whitenoise", "psycopg", "django-tasks-db"} <= site


def test_the_print_version_is_the_pdf_extra(metadata):
    """WeasyPrint (which needs Pango) and pikepdf (which marks the page heads and feet of the
    tagged PDF as artifacts) are installed only with `[pdf]`; the host site takes it."""
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist")]
    assert "pdf" in metadata.get_all("Provides-Extra")
    pdf = {r.name for r in requirements if r.marker and r.marker.evaluate({"extra": "pdf"})}
    assert pdf == {"weasyprint", "pikepdf"}
    site = [r for r in requirements if r.marker and r.marker.evaluate({"extra": "site"})]
    assert any(r.name == "wagtail-press-releases" and r.extras == {"pdf"} for r in site)


def test_it_declares_the_versions_it_is_tested_on(metadata):
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = set(metadata.get_all("Classifier"))
    for python in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {python}" in classifiers
    for django in ("5.2", "6.0", "6.1"):
        assert f"Framework :: Django :: {django}" in classifiers
    django = next(
        r for r in map(Requirement, metadata.get_all("Requires-Dist")) if r.name == "Django"
    )
    assert all(django.specifier.contains(v) for v in ("5.2.8", "6.0", "6.1.1"))
    assert not django.specifier.contains("6.2")
