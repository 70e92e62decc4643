"""Webhooks: a signed JSON POST to each configured endpoint when a release changes.

Signed as Standard Webhooks (https://www.standardwebhooks.com) are, so any of its verifiers
works on the receiving side: `webhook-id` is the delivery (the same on every retry of it, for
de-duplication), `webhook-timestamp` the Unix time of this attempt, and `webhook-signature`
`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`. A receiver refuses
a timestamp outside its tolerance (5 minutes in the reference libraries), so a captured
request cannot be replayed later. Signing is a few lines of the standard library here; the
tests verify real deliveries with the reference `standardwebhooks` package.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from wagtail.models import Page

from ..conf import press_setting
from ..http import TimestampJSONEncoder

logger = logging.getLogger("press.webhooks")

RELEASE_PUBLISHED = "release.published"
RELEASE_UNPUBLISHED = "release.unpublished"
RELEASE_DELETED = "release.deleted"
# A live release changed without being republished: a photo whose rights ended left it.
RELEASE_UPDATED = "release.updated"
USER_AGENT = "Pressedienst-CMS-Webhook/2"
SECRET_PREFIX = "whsec_"


def webhook_payload(*, event: str, release, occurred_at: datetime.datetime) -> dict[str, Any]:
    """What a receiver learns of a change: enough to refetch the release or drop it, and the
    ids of its versions in other languages (whatever their state), whose pages link it."""
    versions = (
        Page.objects.filter(translation_key=release.translation_key)
        .exclude(pk=release.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return {
        "event": event,
        "release": {
            "id": release.pk,
            "title": release.title,
            "slug": release.slug,
            "language": release.locale.language_code,
            "release_date": release.release_date,
            "html_url": release.get_full_url(),
            "text_url": release.text_url,
            "versions": list(versions),
        },
        "occurred_at": occurred_at,
    }


def webhook_body(*, payload: dict[str, Any]) -> str:
    return json.dumps(payload, cls=TimestampJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def webhook_key(secret: str) -> bytes:
    """The HMAC key of an endpoint's secret.

    `whsec_<base64>` (the Standard Webhooks form) is the base64-decoded bytes; any other secret
    is its UTF-8 bytes (a receiver using the `standardwebhooks` library passes it as bytes:
    `Webhook(secret.encode())`). Raises ValueError for a `whsec_` secret that is not base64.
    """
    if secret.startswith(SECRET_PREFIX):
        encoded = secret.removeprefix(SECRET_PREFIX)
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error as error:
            raise ValueError(f"{SECRET_PREFIX}… secret is not base64: {error}") from None
    else:
        key = secret.encode("utf-8")
    if not key:
        raise ValueError("empty webhook secret")
    return key


def webhook_signature(*, key: bytes, delivery_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`: binds the body to this delivery
    and this moment, so neither can be changed and a captured request cannot be replayed
    once the receiver's tolerance has passed."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def webhook_headers(*, body: bytes, key: bytes, delivery_id: str, timestamp: int) -> dict[str, str]:
    # The event is only in the (signed) body: an unsigned event header could be swapped.
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(
            key=key, delivery_id=delivery_id, timestamp=timestamp, body=body
        ),
    }


def webhook_endpoints() -> list[dict[str, str]]:
    """The configured endpoints that can be signed; one without a usable secret is left out,
    loudly (the system checks press.E005, E006 and E008 name it before it comes to this)."""
    endpoints = []
    for endpoint in press_setting("WEBHOOKS"):
        if not isinstance(endpoint, dict):
            # Its type only: a tuple or string may hold the secret.
            logger.error("Webhook endpoint skipped, a %s, not a dict", type(endpoint).__name__)
            continue
        url, secret = str(endpoint.get("url", "")), str(endpoint.get("secret", ""))
        if not url.startswith(("http://", "https://")):
            logger.error("Webhook without an http(s) address skipped: %r", url)
            continue
        try:
            webhook_key(secret)
        except ValueError as error:
            logger.error("Webhook %s skipped, its secret is unusable: %s", url, error)
            continue
        endpoints.append({"url": url, "secret": secret})
    return endpoints


def webhook_secret_for(*, url: str) -> str | None:
    # Looked up when sending, so secrets never sit in a task queue.
    return next((e["secret"] for e in webhook_endpoints() if e["url"] == url), None)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would resend the signed body somewhere else (or drop it): count it as a failure.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def webhook_post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int | None:
    """One attempt; the HTTP status, or None when the endpoint could not be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError) as error:
        logger.warning("Webhook %s unreachable: %s", url, error)
        return None


def webhook_attempt(*, url: str, secret: str, body: str, event: str, delivery_id: str) -> bool:
    raw = body.encode("utf-8")
    headers = webhook_headers(
        body=raw, key=webhook_key(secret), delivery_id=delivery_id, timestamp=int(time.time())
    )
    status = webhook_post(
        url=url, body=raw, headers=headers, timeout=press_setting("WEBHOOK_TIMEOUT")
    )
    delivered = status is not None and 200 <= status < 300
    log = logger.info if delivered else logger.warning
    log("Webhook %s %s to %s: status %s", event, delivery_id, url, status)
    return delivered


def webhook_backoff(*, attempt: int, base: float) -> float:
    """Seconds to wait after failed attempt n (1-based): base, 2·base, 4·base, …"""
    return base * 2 ** (attempt - 1)
