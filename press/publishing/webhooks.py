"""Webhooks: a signed JSON POST to each configured endpoint when a release changes.

Receivers verify `X-Press-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw request body
with their shared secret (`webhook_signature_valid` shows how). `X-Press-Delivery` stays the
same across retries of one delivery, so a receiver can ignore a repeat.
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from ..conf import press_setting

logger = logging.getLogger("press.webhooks")

RELEASE_PUBLISHED = "release.published"
RELEASE_UNPUBLISHED = "release.unpublished"
RELEASE_DELETED = "release.deleted"
USER_AGENT = "Pressedienst-CMS-Webhook/1"


def webhook_payload(*, event: str, release, occurred_at: datetime.datetime) -> dict[str, Any]:
    """What a receiver learns of a change: enough to refetch the release or drop it."""
    return {
        "event": event,
        "release": {
            "id": release.pk,
            "title": release.title,
            "slug": release.slug,
            "release_date": release.release_date,
            "html_url": release.get_full_url(),
            "text_url": release.text_url,
        },
        "occurred_at": occurred_at,
    }


def webhook_body(*, payload: dict[str, Any]) -> str:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def webhook_signature(*, body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_signature_valid(*, body: bytes, secret: str, signature: str) -> bool:
    return hmac.compare_digest(webhook_signature(body=body, secret=secret), signature)


def webhook_headers(
    *, body: bytes, secret: str, event: str, delivery_id: str, timestamp: int
) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Press-Event": event,
        "X-Press-Delivery": delivery_id,
        "X-Press-Timestamp": str(timestamp),
        "X-Press-Signature": webhook_signature(body=body, secret=secret),
    }


def webhook_endpoints() -> list[dict[str, str]]:
    """The configured endpoints that can be signed; one without a secret is left out, loudly."""
    endpoints = []
    for endpoint in press_setting("WEBHOOKS"):
        url, secret = endpoint.get("url", ""), endpoint.get("secret", "")
        if not url.startswith(("http://", "https://")):
            logger.error("Webhook ohne http(s)-Adresse übersprungen: %r", url)
        elif not secret:
            logger.error("Webhook %s ohne Geheimnis (secret) übersprungen.", url)
        else:
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
        logger.warning("Webhook %s nicht erreichbar: %s", url, error)
        return None


def webhook_attempt(*, url: str, secret: str, body: str, event: str, delivery_id: str) -> bool:
    raw = body.encode("utf-8")
    headers = webhook_headers(
        body=raw, secret=secret, event=event, delivery_id=delivery_id, timestamp=int(time.time())
    )
    status = webhook_post(
        url=url, body=raw, headers=headers, timeout=press_setting("WEBHOOK_TIMEOUT")
    )
    delivered = status is not None and 200 <= status < 300
    log = logger.info if delivered else logger.warning
    log("Webhook %s %s an %s: Status %s", event, delivery_id, url, status)
    return delivered


def webhook_backoff(*, attempt: int, base: float) -> float:
    """Seconds to wait after failed attempt n (1-based): base, 2·base, 4·base, …"""
    return base * 2 ** (attempt - 1)
