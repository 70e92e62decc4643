"""Adopt the plugin on a site that is not ours, following the README and nothing else.

    python3.11 tests/adoption/adopt.py [--wheel PATH] [--keep] [--parts]

Builds the `wagtail-press-releases` wheel from this checkout (or takes `--wheel`), then, in a
temporary directory, performs the fenced blocks of the README's "Adopting the plugin in another
Wagtail site" section in order — shell blocks run in one continuing bash session (its working
directory and activated virtualenv carry over from block to block), Python blocks go into the
file their first line names — and so makes a fresh virtualenv, installs the wheel with its
dependencies from PyPI, creates a brand-new site with `wagtail start`, configures it and runs
`check --fail-level WARNING` and `migrate`. It checks that the core has the archive import
(`manage.py help import_press_release` names FILE, --media-dir and --publish), then creates a
newsroom and a published release
(paragraph, quote, photo with caption and credit, contact), serves the site with `runserver`
and fetches the release page, its text version, the press API list and the API v2 detail:
each must answer 200 with the release in it. Standard library only; exits non-zero with a
message saying which step failed.

With `--parts` it then performs the blocks of docs/adopters/parts.md's "Every part at once"
too (the PDF extra, subscriptions, distribution lists and their mail engine), and
also fetches the print version (a PDF), finds the subscription form in the newsroom and signs
up through the press API. Without it the site has the core alone, and no WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Adopting the plugin in another Wagtail site"
PARTS_DOC = ROOT / "docs" / "adopters" / "parts.md"
PARTS_SECTION = "## Every part at once"

APPEND = re.compile(r"^# (?P<path>\S+) — add at the end$")
INSERT = re.compile(r"^# (?P<path>\S+) — insert before the line: (?P<anchor>.+)$")

TITLE = "Adoption check: the first release of a brand-new site"
CAPTION = "The town hall at dawn"
CREDIT = "Photo desk/Jane Example"
QUOTE_NAME = "Erika Mustermann"

START = time.monotonic()

# Local state of a working checkout, not sources: a stale build/ could slip files into the wheel,
# and CI builds the other venvs and the frontend while this copies the checkout.
NOT_SOURCE = (".git", ".venv*", ".nox", "build", "dist", "*.egg-info", "__pycache__", "*.pyc")
NOT_SOURCE += ("node_modules", "media", "staticfiles", "db.sqlite3", ".*_cache", ".hypothesis")
NOT_SOURCE += (".test-builds", "site")


class AdoptionError(Exception):
    pass


@dataclass(frozen=True)
class Step:
    """One fenced block of the README section: run it (shell) or put it into a file."""

    kind: str  # "shell", "append" or "insert"
    text: str
    path: str = ""
    anchor: str = ""
    line: int = 0  # where the block starts in README.md

    def describe(self) -> str:
        if self.kind == "shell":
            commands = [c for c in self.text.splitlines() if c.strip() and not c.startswith("#")]
            return "shell: " + "; ".join(commands)
        if self.kind == "append":
            return f"add to the end of {self.path}"
        return f"insert into {self.path} before {self.anchor!r}"


def readme_steps(text: str, section: str = SECTION) -> list[Step]:
    """The section's fenced blocks, in order, up to the next heading.

    A `sh` block is commands; a `python` block's first line says where it goes:
    `# <path> — add at the end` or `# <path> — insert before the line: <line>`. Any other
    block is an error, so the section cannot hold a step this script would not perform.
    """
    lines = text.splitlines()
    try:
        start = lines.index(section)
    except ValueError:
        raise AdoptionError(f"no section {section!r}") from None
    steps: list[Step] = []
    number = start + 1
    while number < len(lines):
        line = lines[number]
        if line.startswith("#"):
            break  # the next heading ends the steps
        stripped = line.strip()
        if not stripped.startswith("```"):
            number += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        language = stripped[3:].strip()
        opened = number + 1
        body: list[str] = []
        number += 1
        while number < len(lines) and lines[number].strip() != "```":
            if lines[number].strip().startswith("```"):
                number = len(lines)  # a block opens inside this one: this one was never closed
                break
            body.append(lines[number].removeprefix(indent))
            number += 1
        if number == len(lines):
            raise AdoptionError(f"README.md line {opened}: the block is never closed")
        number += 1
        block = "\n".join(body) + "\n"
        if language == "sh":
            steps.append(Step("shell", block, line=opened))
            continue
        if language != "python":
            raise AdoptionError(
                f"README.md line {opened}: a ```{language} block in the adoption steps; "
                "only ```sh (commands) and ```python (a file's part) are steps"
            )
        first = body[0] if body else ""
        if match := APPEND.match(first):
            steps.append(Step("append", block, path=match["path"], line=opened))
        elif match := INSERT.match(first):
            steps.append(
                Step("insert", block, path=match["path"], anchor=match["anchor"], line=opened)
            )
        else:
            raise AdoptionError(
                f"README.md line {opened}: a python block must start with "
                "'# <file> — add at the end' or '# <file> — insert before the line: <line>', "
                f"not {first!r}"
            )
    if not steps:
        raise AdoptionError(f"no steps in {section!r}")
    return steps


# --- running it ------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[adopt {time.monotonic() - START:6.1f}s] {message}", flush=True)


def build_wheel(workdir: Path) -> Path:
    """The wheel from a copy of the checkout without its local state."""
    source = workdir / "checkout"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    out = workdir / "wheelhouse"
    finished = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise AdoptionError(f"building the wheel failed:\n{finished.stdout}\n{finished.stderr}")
    wheels = list(out.glob("*.whl"))
    if len(wheels) != 1:
        raise AdoptionError(f"expected one wheel, got {wheels}")
    return wheels[0]


class Session:
    """A terminal session: shell blocks continue where the previous one left off."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DJANGO_"))}
        env.pop("VIRTUAL_ENV", None)
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        # The README's `python3` is the interpreter this script runs on: CI adopts with the
        # newest supported Python by running the script with it.
        bin_dir = cwd / ".adopt-python"
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "python3").unlink(missing_ok=True)
        (bin_dir / "python3").symlink_to(sys.executable)
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
        self.env = env
        self.state = cwd / ".adopt-state"

    def shell(self, step: Step) -> None:
        script = (
            "set -eo pipefail\n"
            "PS4='$ '\n"
            "set -x\n"
            f"{step.text}"
            "{ set +x; } 2>/dev/null\n"
            'printf "%s\\n%s\\n%s\\n" "$PWD" "$PATH" "${VIRTUAL_ENV:-}" > "$ADOPT_STATE"\n'
        )
        finished = subprocess.run(
            ["bash", "-c", script],
            cwd=self.cwd,
            env={**self.env, "ADOPT_STATE": str(self.state)},
            check=False,
            timeout=900,
        )
        if finished.returncode != 0:
            raise AdoptionError(
                f"README.md line {step.line}: the shell block failed (exit {finished.returncode})"
            )
        cwd, path, venv = self.state.read_text().split("\n")[:3]
        self.cwd = Path(cwd)
        self.env["PATH"] = path
        if venv:
            self.env["VIRTUAL_ENV"] = venv

    def edit(self, step: Step) -> None:
        target = self.cwd / step.path
        if not target.is_file():
            raise AdoptionError(f"README.md line {step.line}: no file {step.path} in {self.cwd}")
        content = target.read_text()
        if step.kind == "append":
            content = content.rstrip("\n") + "\n\n" + step.text
        else:
            lines = content.splitlines(keepends=True)
            hits = [i for i, line in enumerate(lines) if line.rstrip() == step.anchor]
            if len(hits) != 1:
                raise AdoptionError(
                    f"README.md line {step.line}: {step.path} has {len(hits)} lines "
                    f"{step.anchor!r}, expected exactly one"
                )
            lines.insert(hits[0], step.text + "\n")
            content = "".join(lines)
        target.write_text(content)

    def python(self) -> str:
        venv = self.env.get("VIRTUAL_ENV")
        if not venv:
            raise AdoptionError("the README's steps activate no virtualenv")
        return str(Path(venv) / "bin" / "python")

    def run_python(self, *args: str, cwd: Path | None = None) -> str:
        finished = subprocess.run(
            [self.python(), *args],
            cwd=cwd or self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if finished.returncode != 0:
            raise AdoptionError(
                f"python {' '.join(args)[:80]} failed:\n{finished.stdout}\n{finished.stderr}"
            )
        return finished.stdout


NO_HOST_PACKAGES = """
import sys
from importlib.metadata import distribution
files = distribution("wagtail-press-releases").files
top = sorted({f.parts[0] for f in files if not f.parts[0].endswith(".dist-info")})
if top != ["press"]:
    sys.exit(f"wagtail-press-releases installed {top}, expected the press package alone")
print("wagtail-press-releases installed the press package alone")
"""

CREATE_CONTENT = f"""
import datetime, io, json
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site
from press.models import PressContact, PressIndexPage, PressReleasePage

home = Site.objects.get(is_default_site=True).root_page
newsroom = PressIndexPage(title="Newsroom", slug="newsroom")
home.add_child(instance=newsroom)
newsroom.save_revision().publish()

buffer = io.BytesIO()
PILImage.new("RGB", (1200, 800), (40, 90, 150)).save(buffer, "JPEG")
photo = Image.objects.create(title="Town hall", file=ImageFile(buffer, name="town-hall.jpg"))
contact = PressContact.objects.create(
    name="Max Example", email="press@example.org", phone="+49 30 1234567"
)
body = [
    {{"type": "paragraph", "value": "<p>The new site publishes its first press release.</p>"}},
    {{"type": "quote", "value": {{"text": "<p>It took one afternoon.</p>",
        "name": {QUOTE_NAME!r}, "role": "Head of communications"}}}},
    {{"type": "image", "value": {{"image": photo.pk, "caption": {CAPTION!r},
        "credit": {CREDIT!r}, "alt": "The town hall in the morning light"}}}},
]
release = PressReleasePage(
    title={TITLE!r},
    slug="adoption-check",
    release_date=datetime.date.today(),
    lead="A brand-new Wagtail site adopted the press plugin.",
    body=json.dumps(body),
    contact=contact,
)
newsroom.add_child(instance=release)
release.save_revision().publish()
release.refresh_from_db()
print(json.dumps({{"id": release.pk, "url": release.url, "newsroom": newsroom.url}}))
"""


IMPORT_USAGE = ("FILE", "--media-dir", "--publish")


def import_command_check(session: Session) -> None:
    """The archive import is the core's: `import_press_release FILE... [--media-dir DIR]
    [--publish]` on a site that added "press" and no optional part."""
    usage = session.run_python("manage.py", "help", "import_press_release")
    missing = [word for word in IMPORT_USAGE if word not in usage]
    if missing:
        raise AdoptionError(f"manage.py help import_press_release lacks {missing}:\n{usage}")
    say("manage.py import_press_release: there, with " + ", ".join(IMPORT_USAGE))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def serve_and_fetch(session: Session, content: dict, workdir: Path, parts: bool) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = workdir / "runserver.log"
    say(f"python manage.py runserver --noreload 127.0.0.1:{port}")
    with log.open("wb") as out:
        server = subprocess.Popen(
            [session.python(), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=session.cwd,
            env=session.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise AdoptionError(f"runserver exited:\n{log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AdoptionError("runserver did not listen within 90 s") from None
                time.sleep(0.5)
        release_url = content["url"]
        checks = [
            ("release page", release_url, [TITLE, QUOTE_NAME, CREDIT]),
            ("text version", release_url + "text/", [TITLE, f"{CAPTION}, ©{CREDIT}"]),
            ("press API list", "/api/press/releases", [TITLE]),
            ("API v2 detail", f"/api/v2/pages/{content['id']}/", [TITLE]),
        ]
        for label, path, wanted in checks:
            status, body = fetch(base + path)
            if status != 200:
                raise AdoptionError(
                    f"{label}: GET {path} answered {status}, expected 200\n"
                    f"{body[:1500]}\n--- runserver log ---\n{log.read_text()[-3000:]}"
                )
            if label.startswith("press API") or label.startswith("API v2"):
                body = json.dumps(json.loads(body), ensure_ascii=False)
            missing = [text for text in wanted if text not in body]
            if missing:
                raise AdoptionError(f"{label}: GET {path} is 200 but lacks {missing}")
            say(f"GET {path} -> 200, has {', '.join(repr(t) for t in wanted)}")
        parts_fetch(base=base, content=content, parts=parts)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        say(f"runserver stopped (exit {server.returncode})")


def parts_fetch(*, base: str, content: dict, parts: bool) -> None:
    """What the optional parts and the PDF extra add, there with --parts and absent without."""
    pdf_url = base + content["url"] + "pdf/"
    try:
        with urllib.request.urlopen(pdf_url, timeout=120) as response:
            pdf = (response.status, response.read())
    except urllib.error.HTTPError as error:
        pdf = (error.code, b"")
    status, body = fetch(base + content["newsroom"])
    has_form = 'class="subscribe"' in body
    request = urllib.request.Request(
        base + "/api/press/subscriptions",
        data=json.dumps({"email": "leser@example.org", "consent": True}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            signup = response.status
    except urllib.error.HTTPError as error:
        signup = error.code
    if parts:
        if pdf[0] != 200 or not pdf[1].startswith(b"%PDF"):
            raise AdoptionError(f"print version: GET {pdf_url} answered {pdf[0]}, not a PDF")
        if status != 200 or not has_form:
            raise AdoptionError("the newsroom shows no subscription form")
        if signup != 202:
            raise AdoptionError(f"POST /api/press/subscriptions answered {signup}, not 202")
        say("PDF, subscription form and sign-up through the press API: there")
    else:
        if pdf[0] != 404 or has_form or signup not in (404, 405):
            raise AdoptionError(
                f"core alone: PDF {pdf[0]}, form {has_form}, sign-up {signup} (404, no, 404/405)"
            )
        say("core alone: no PDF, no subscription form, no sign-up operation")


def adopt(wheel: Path | None, keep: bool, parts: bool = False) -> None:
    steps = readme_steps(README.read_text(encoding="utf-8"))
    if parts:
        steps += readme_steps(PARTS_DOC.read_text(encoding="utf-8"), PARTS_SECTION)
    say(f"{len(steps)} steps in README.md, {SECTION[3:]!r}:")
    for number, step in enumerate(steps, 1):
        print(f"    {number}. {step.describe()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="press-adopt-"))
    try:
        if wheel is None:
            say("building the wagtail-press-releases wheel from this checkout")
            wheel = build_wheel(workdir)
        site_dir = workdir / "work"
        site_dir.mkdir()
        shutil.copy2(wheel, site_dir)
        say(f"wheel {wheel.name}; the steps run in {site_dir}")
        session = Session(site_dir)
        for number, step in enumerate(steps, 1):
            say(f"step {number}: {step.describe()}")
            if step.kind == "shell":
                session.shell(step)
            else:
                session.edit(step)
        say(session.run_python("-c", NO_HOST_PACKAGES, cwd=workdir).strip())
        import_command_check(session)
        say("creating a newsroom and a published release (manage.py shell)")
        output = session.run_python("manage.py", "shell", "-c", CREATE_CONTENT)
        content = json.loads(output.strip().splitlines()[-1])
        say(f"release {content['id']} at {content['url']}")
        serve_and_fetch(session, content, workdir, parts)
    finally:
        if keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            say(f"removed {workdir}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="a built wheel instead of building one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--parts", action="store_true", help="every optional part and the PDF extra as well"
    )
    args = parser.parse_args()
    try:
        adopt(args.wheel.resolve() if args.wheel else None, args.keep, args.parts)
    except (AdoptionError, subprocess.TimeoutExpired) as error:
        print(f"\nFAIL (adoption, after {time.monotonic() - START:.0f}s): {error}", file=sys.stderr)
        return 1
    say("adopted: a brand-new Wagtail site serves the release on all four channels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
