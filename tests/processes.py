"""The site's own commands in new interpreters, for tests of what a process sees (settings
read from the environment, a database file shared by several processes)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python_run(*args: str, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python ARGS` of the test run's interpreter, in the project's folder."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def manage(env: dict, *args: str) -> str:
    """`manage.py ARGS`, which must succeed; its output."""
    result = python_run("manage.py", *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
