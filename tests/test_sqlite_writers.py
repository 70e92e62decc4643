"""On SQLite (`make run`, a trial site), an editor's publication and a reader's request that
stores the document it found outdated write one after the other: the second waits for the
first instead of failing with "database is locked" (a 500 for the reader)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The editor: a transaction that writes, then goes on (publishing stores a document,
# renditions, search entries) until the reader has read, or for at most 3 s, before it commits.
EDITOR = """
import os, sys, time, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS documents (name TEXT)")
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO documents VALUES ('published')")
    open(sys.argv[1], "w").close()
    deadline = time.monotonic() + 3
    while not os.path.exists(sys.argv[2]) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
print("editor committed")
"""

# The reader: reads, then writes what it built, in one transaction, while the editor writes.
READER = """
import os, sys, time, django
django.setup()
from django.db import connection, transaction
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM documents")
        open(sys.argv[2], "w").close()
        cursor.execute("INSERT INTO documents VALUES ('rebuilt')")
with connection.cursor() as cursor:
    cursor.execute("SELECT name FROM documents ORDER BY rowid")
    print("reader stored", [name for (name,) in cursor.fetchall()])
"""


def test_a_reader_that_stores_waits_for_the_editor_s_write_instead_of_failing(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    started = tmp_path / "editor-writes"
    read = tmp_path / "reader-read"

    def start(code: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", code, str(started), str(read)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    editor, reader = start(EDITOR), start(READER)
    editor_out, editor_err = editor.communicate(timeout=120)
    reader_out, reader_err = reader.communicate(timeout=120)
    assert editor.returncode == 0, editor_err
    assert reader.returncode == 0, reader_err
    assert "editor committed" in editor_out
    assert "reader stored ['published', 'rebuilt']" in reader_out
