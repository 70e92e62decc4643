"""Contract test for frontends: TypeScript types generated from the live OpenAPI document
(openapi-typescript) must type-check the small client in tests/ts/client.ts.

A schema change that would break a frontend (a renamed field, a block type without its own
schema, a lost discriminator) fails here. Needs node; installs tests/ts's locked
devDependencies with `npm ci` when node_modules is missing.
"""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import node_packages

TS_DIR = Path(__file__).parent / "ts"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npx") is None,
    reason="Node.js (node, npm, npx) is not installed; the TypeScript contract needs it.",
)


def run(*command: str, cwd: Path = TS_DIR) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def node_modules():
    with node_packages.locked(TS_DIR):
        node_packages.install(TS_DIR)
    return TS_DIR / "node_modules"


def typecheck_client(*, document: dict, workdir: Path) -> subprocess.CompletedProcess:
    """Generate types from `document` next to a copy of the client and run tsc on it."""
    (workdir / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    shutil.copy(TS_DIR / "client.ts", workdir / "client.ts")
    shutil.copy(TS_DIR / "tsconfig.json", workdir / "tsconfig.json")
    generated = run(
        "npx",
        "--no-install",
        "openapi-typescript",
        str(workdir / "openapi.json"),
        "--output",
        str(workdir / "press-api.d.ts"),
    )
    assert generated.returncode == 0, generated.stderr
    return run("npx", "--no-install", "tsc", "--noEmit", "-p", str(workdir / "tsconfig.json"))


@pytest.fixture
def document(client, db):
    response = client.get("/api/press/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_client_type_checks_against_the_live_document(node_modules, document, tmp_path):
    checked = typecheck_client(document=document, workdir=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    types = (tmp_path / "press-api.d.ts").read_text(encoding="utf-8")
    for name in ("ParagraphBlock", "QuoteBlock", "ImageBlock", "Release", "Problem"):
        assert f"{name}: {{" in types


def test_a_breaking_schema_change_fails_the_check(node_modules, document, tmp_path):
    # Renaming the quote's `name` must break the client (it reads quote.name).
    broken = copy.deepcopy(document)
    quote = broken["components"]["schemas"]["QuoteValue"]
    quote["properties"]["person"] = quote["properties"].pop("name")
    quote["required"] = ["person" if field == "name" else field for field in quote["required"]]
    checked = typecheck_client(document=broken, workdir=tmp_path)
    assert checked.returncode != 0
    assert "name" in checked.stdout
