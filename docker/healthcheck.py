"""Container health check: is gunicorn answering, and does Django reach its database?

Speaks to the local gunicorn the way the TLS proxy in front of it would: with a host from
ALLOWED_HOSTS and `X-Forwarded-Proto: https`, so neither the host check nor the HTTPS
redirect of the production settings turns a healthy site into a failing probe. Any answer
below 500 is healthy (a fresh site without pages answers 404); a 5xx or no answer is not.
Standard library only: the slim image has no curl.
"""

import http.client
import os
import sys


def probe_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "localhost").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    path = os.environ.get("HEALTHCHECK_PATH", "/")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request(
            "GET", path, headers={"Host": probe_host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status >= 500:
        print(f"unhealthy: HTTP {status} for {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
