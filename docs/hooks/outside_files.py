"""MkDocs hook: publish files kept outside docs/ with the documentation.

The bench scripts append to bench/results.md, the changelog is CHANGELOG.md at the top and the
archive sample is the importer's test fixture; each stays where its writer keeps it (one copy)
and is added to the build here, so the pages link them like any other page and a broken link
still fails `mkdocs build --strict`.
"""

from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "tests/fixtures_releases/pressedienst-2023-02-07-masterplan-industrie"

OUTSIDE = {
    "changelog.md": "CHANGELOG.md",
    "operators/bench-results.md": "bench/results.md",
    "archive/sample.txt": f"{SAMPLE}.txt",
    "archive/sample.expected.json": f"{SAMPLE}.expected.json",
}


def on_files(files, config):
    for uri, source in OUTSIDE.items():
        path = ROOT / source
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
