"""The system Chromium the browser tests drive through Playwright (never a downloaded build)."""

import os
import shutil

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
# Headless as root, and quiet on this machine's closed network.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = "no Chromium binary on this machine (apt-get install chromium; .ci/run installs it)"
