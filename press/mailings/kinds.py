"""Kinds of mailing: each optional part that mails registers its own in its AppConfig.ready().

The engine fixes a mailing's recipients with `recipients` (or the part adds the deliveries
itself, `recipients=None`), and asks `message` for each delivery's mail when it is sent; a
kind sent `before_public` (an embargo notice) goes out while its release is not public yet and
needs no release document.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MailingKind:
    name: str
    label: str
    # (*, delivery, release, document, data) -> EmailMessage, or None when the recipient is
    # to get nothing any more (unsubscribed, inactive, its link revoked): the delivery goes.
    message: Callable
    # (*, release) -> a queryset of the recipients, fixed once when the mailing is first sent.
    recipients: Callable | None = None
    before_public: bool = False


_kinds: dict[str, MailingKind] = {}


def mailing_kind_register(kind: MailingKind) -> None:
    _kinds[kind.name] = kind


def mailing_kind(name: str) -> MailingKind:
    """The registered kind; LookupError when its part is not installed (any more)."""
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No mailing kind {name!r} is registered") from None


def mailing_kinds() -> list[MailingKind]:
    return list(_kinds.values())


def mailing_kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in _kinds.values()]
