"""The documentation: the README's links resolve in a fresh clone, the MkDocs site builds
strictly (a broken link or anchor fails), and every setting and check id is documented."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from press.checks import known_defaults

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.splitlines())


def test_every_link_in_the_readme_resolves_in_a_fresh_clone():
    files = tracked_files()  # what a clone has: committed files, not local state
    folders = {str(Path(name).parent) + "/" for name in files}
    links = [link for link in LINK.findall(README.read_text(encoding="utf-8"))]
    local = [link.split("#")[0] for link in links if "://" not in link and link[0] != "#"]
    assert local, "the README links into docs/"
    missing = [link for link in local if link not in files and link not in folders]
    assert not missing, f"README links to what a fresh clone lacks: {missing}"
    assert not [link for link in local if link.startswith("../")]


def test_the_readme_fits_a_screen_or_two():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_the_documentation_builds_strictly(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "editors" / "writing" / "index.html").exists()
    # Files kept outside docs/ are published with it (one copy each).
    assert (tmp_path / "operators" / "bench-results" / "index.html").exists()
    sample = (tmp_path / "archive" / "sample.txt").read_text(encoding="utf-8")
    assert "## Pressedienst" in sample


def test_every_press_setting_is_in_the_settings_reference():
    reference = (ROOT / "docs" / "adopters" / "settings.md").read_text(encoding="utf-8")
    # The core's keys and those of every optional part (the host installs them all).
    keys = set(known_defaults())
    assert keys
    assert not [key for key in sorted(keys) if f"`{key}`" not in reference]
    # …and the reference's tables name no key the plugin does not have.
    press_part = reference.split("## Django and Wagtail settings")[0]
    first_cells = re.findall(r"^\| ((?:`[A-Z0-9_]+`(?:, )?)+) \|", press_part, re.M)
    documented = {key for cell in first_cells for key in re.findall(r"`([A-Z0-9_]+)`", cell)}
    assert len(documented) >= len(keys)
    assert not sorted(documented - keys)


@pytest.mark.parametrize("path", ["docs/adopters/checks.md"])
def test_every_check_id_is_documented(path):
    ids = set()
    for source in (ROOT / "press").rglob("*.py"):
        ids |= set(re.findall(r'id="(press\.[EWI]\d{3})"', source.read_text(encoding="utf-8")))
    documented = (ROOT / path).read_text(encoding="utf-8")
    assert ids
    assert not [check for check in sorted(ids) if f"`{check}`" not in documented]


def test_every_make_command_the_documents_give_exists():
    """`make edge`, `make frontend` and the rest, as the README and docs/ name them: each is a
    target of the Makefile (`make -n` plans it without running anything)."""
    texts = [README.read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in (ROOT / "docs").rglob("*.md")]
    targets = sorted({name for text in texts for name in re.findall(r"`make ([a-z-]+)", text)})
    assert {"run", "test", "edge", "frontend"} <= set(targets)
    missing = [
        target
        for target in targets
        if subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True).returncode != 0
    ]
    assert missing == []
