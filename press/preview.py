"""Signed, expiring preview tokens for headless frontends (see press.api.preview).

The token is signed with the site's SECRET_KEY and names one revision of one release, so it
shows that draft and nothing else.
"""

from urllib.parse import urlencode

from django.core import signing
from django.utils.translation import gettext as _

from .conf import press_setting

PREVIEW_SALT = "press.preview"
CONTENT_TYPE = "press.pressreleasepage"


class PreviewTokenError(Exception):
    """The token is missing, forged or expired: it grants nothing."""


def preview_token_create(*, release) -> str | None:
    """A signed token for the release's latest saved revision; None before the first save."""
    if release.pk is None or release.latest_revision_id is None:
        return None
    payload = {"page": release.pk, "revision": release.latest_revision_id}
    return signing.dumps(payload, salt=PREVIEW_SALT)


def preview_url_for(*, release, frontend_url: str = "") -> str | None:
    """Where the admin sends an editor who previews the release; None: Wagtail's own preview.
    `frontend_url`: the frontend of the release's site, else PRESS["FRONTEND_URL"]."""
    frontend = (frontend_url or press_setting("FRONTEND_URL")).rstrip("/")
    if not frontend:
        return None
    token = preview_token_create(release=release)
    if token is None:
        return None
    return f"{frontend}/preview?{urlencode({'token': token, 'content_type': CONTENT_TYPE})}"


def preview_token_read(*, token: str) -> dict[str, int]:
    """The {page, revision} a token names; PreviewTokenError when it is forged or expired."""
    if not token:
        raise PreviewTokenError(_("No preview token was given."))
    try:
        payload = signing.loads(
            token, salt=PREVIEW_SALT, max_age=press_setting("PREVIEW_TOKEN_MAX_AGE")
        )
    except signing.SignatureExpired as error:
        raise PreviewTokenError(_("The preview token has expired.")) from error
    except signing.BadSignature as error:
        raise PreviewTokenError(_("The preview token is invalid.")) from error
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("page"), int)
        and isinstance(payload.get("revision"), int)
    ):
        raise PreviewTokenError(_("The preview token is invalid."))
    return payload
