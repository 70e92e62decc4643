"""Installing a checkout's npm packages from the lock file, once, even when two test runs share
the checkout (CI runs the suite with two Python/Django pairs at the same time).

`npm ci` deletes node_modules before it installs, so a second run's install would pull the
packages from under the first run's build. An exclusive lock on a file next to package.json
makes the second run wait for the first install and then find it done."""

import fcntl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Exclusive use of `directory`'s npm packages and generated files by this process."""
    with open(directory / ".tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def installed(directory: Path) -> bool:
    """Whether node_modules holds what package-lock.json names: npm writes its own copy of the
    lock file there (node_modules/.package-lock.json) at the end of a complete install."""
    return (directory / "node_modules" / ".package-lock.json").exists()


def install(directory: Path) -> None:
    """`npm ci` unless a complete install is there; call it inside `locked(directory)`."""
    if installed(directory):
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"npm ci in {directory}:\n{done.stderr[-3000:]}"
