"""Signed links for subscribers (Django's signing with the site's SECRET_KEY).

Each kind has its own salt, so a token of one kind never works as another. The confirmation
token expires (PRESS["SUBSCRIPTION_CONFIRM_MAX_AGE"]) and names the consent record its mail was
sent for, which confirming marks: the link works once, and for that agreement alone. Unsubscribe and data links are in every mail
and must keep working, so they do not expire; they name the address too, so a token cannot
serve another subscriber.
"""

from django.core import signing

from .conf import subscriptions_setting

CONFIRM = "press.subscriptions.confirm"
UNSUBSCRIBE = "press.subscriptions.unsubscribe"
DATA = "press.subscriptions.data"


class TokenError(Exception):
    pass


class TokenExpired(TokenError):
    pass


def _signer(salt: str, *, at: float | None = None) -> signing.TimestampSigner:
    if at is None:
        return signing.TimestampSigner(salt=salt)

    class SignerAt(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(at))

    return SignerAt(salt=salt)


def token_make(*, kind: str, subscriber, consent=None, at: float | None = None) -> str:
    """`consent`: the consent record a confirmation link confirms (for CONFIRM only); `at`: the
    signing time (Unix seconds), now unless given (tests sign in the past)."""
    payload = {"s": subscriber.pk, "e": subscriber.email.lower()}
    if kind == CONFIRM:
        payload["c"] = consent.pk
    return _signer(kind, at=at).sign_object(payload, compress=True)


def token_read(*, kind: str, token: str, max_age: float | None = None) -> dict:
    """The payload; TokenExpired or TokenError when the link is too old or not ours."""
    if kind == CONFIRM and max_age is None:
        max_age = subscriptions_setting("SUBSCRIPTION_CONFIRM_MAX_AGE")
    try:
        return _signer(kind).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TokenError from None
