#!/usr/bin/env python3
"""`make edge`: the CMS in gunicorn on production settings and Varnish with the shipped VCL in
front of it, on loopback, in the foreground; Ctrl-C stops both.

    .venv/bin/python deploy/varnish/edge.py --addr 127.0.0.1:8000 --edge-addr 127.0.0.1:6081

Environment as in production (docs/operators/index.md); on loopback what is missing gets a
default for trying it out: a throwaway SECRET_KEY, plain HTTP (SECURE_SSL_REDIRECT=false), the
checkout's SQLite database, static files collected into ./staticfiles. The CMS purges this
Varnish (FRONTEND_CACHE_VARNISH_URL) when releases change.

The functions here (`vcl_for_backend`, `varnishd_start`) also start the edge for the tests and
the spike bench.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VCL = HERE / "default.vcl"
# The CMS's backends: `cms` (fetched from) and `cms_probed` (its health), at one address.
BACKEND_ADDRESS = re.compile(
    r'(backend (cms|cms_probed) \{\s*\.host = )"[^"]*";(\s*\.port = )"[^"]*";'
)


def vcl_for_backend(*, host: str, port: int, vcl: Path = VCL) -> str:
    """The shipped VCL with the CMS's address in its backends."""
    text = vcl.read_text()
    changed, count = BACKEND_ADDRESS.subn(rf'\g<1>"{host}";\g<3>"{port}";', text)
    if count != 2:
        raise ValueError(f"{vcl}: no `backend cms` and `backend cms_probed` with .host and .port")
    return changed


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host or "127.0.0.1", int(port)


def varnishd_start(
    *, backend: str, listen: str, workdir: Path, storage: str = "malloc,256m", log=None
) -> subprocess.Popen:
    """varnishd in the foreground (-F) with the shipped VCL pointed at `backend`
    (host:port), listening on `listen`; its files in `workdir`. Returns once it answers."""
    host, port = split_address(backend)
    vcl_file = workdir / "edge.vcl"
    vcl_file.write_text(vcl_for_backend(host=host, port=port))
    command = [
        shutil.which("varnishd") or "/usr/sbin/varnishd",
        "-F",
        "-f",
        str(vcl_file),
        "-a",
        listen,
        "-n",
        str(workdir / "varnish"),
        "-s",
        storage,
        "-T",
        "none",
        # A purge or answer larger than the defaults allow is no reason to fail.
        "-p",
        "http_resp_hdr_len=16k",
        "-p",
        "http_req_hdr_len=16k",
    ]
    if os.geteuid() == 0:
        # Root: Varnish's jail drops its workers to the `varnish` user, which needs to read the
        # working directory.
        workdir.chmod(0o755)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    edge_wait(listen=listen, process=process)
    return process


def edge_wait(*, listen: str, process: subprocess.Popen, seconds: float = 30) -> None:
    import socket

    host, port = split_address(listen)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"varnishd exited with {process.returncode}")
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"varnishd did not listen on {listen} within {seconds} s")


def process_stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addr", default=os.environ.get("ADDR", "127.0.0.1:8000"))
    parser.add_argument("--edge-addr", default=os.environ.get("EDGE_ADDR", "127.0.0.1:6081"))
    options = parser.parse_args()
    # Stopped by Ctrl-C, and by a TERM (a service manager, `kill`) the same way; Python's Ctrl-C
    # handler even when started in the background, where a shell has SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    env.setdefault("SECURE_SSL_REDIRECT", "false")
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    env.setdefault("STATIC_ROOT", str(ROOT / "staticfiles"))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("FRONTEND_CACHE_VARNISH_URL", f"http://{options.edge_addr}")
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )

    workdir = Path(tempfile.mkdtemp(prefix="press-edge-"))
    gunicorn = varnish = None
    try:
        gunicorn = subprocess.Popen(
            [
                str(Path(python).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "cms.wsgi:application",
            ],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": options.addr},
        )
        varnish = varnishd_start(backend=options.addr, listen=options.edge_addr, workdir=workdir)
        print(
            f"CMS (gunicorn): http://{options.addr}/   edge (Varnish): http://{options.edge_addr}/"
        )
        print("Ctrl-C stops both.", flush=True)
        while gunicorn.poll() is None and varnish.poll() is None:
            time.sleep(0.5)
        return 1  # one of them ended by itself
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # Ctrl-C reaches both children too (same process group); each is stopped and waited for.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        process_stop(varnish)
        process_stop(gunicorn)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
