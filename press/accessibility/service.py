"""Receiving a barrier report: limits, storing it, telling the office.

The only mail goes to the office, never to the address a reporter typed: the form cannot be
used to send mail to someone else. The report is stored before the mail is sent (after the
transaction commits), so a failing mail server loses no report; the admin lists it anyway."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .conf import accessibility_setting
from .models import BarrierReport

logger = logging.getLogger("press.accessibility")


class RateLimited(Exception):
    """Too many reports from this client or in all; retry after `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def _over_limit(key: str, limit: int, window: int) -> bool:
    # A failing cache counts nothing: reporting a barrier stays possible.
    try:
        count = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    except Exception:
        logger.warning("Barrier report rate limit: cache unavailable", exc_info=True)
        return False
    return (count or 0) > limit


def rate_limit_check(*, client: str) -> None:
    window = accessibility_setting("BARRIER_REPORT_RATE_WINDOW")
    address = hashlib.sha256((client or "unknown").encode()).hexdigest()[:32]
    if _over_limit(
        f"press:barrier-report:client:{address}",
        accessibility_setting("BARRIER_REPORT_MAX_PER_CLIENT"),
        window,
    ):
        raise RateLimited(window)
    # Only what a client may send counts towards the total: one client hammering the form
    # does not lock out everyone else.
    if _over_limit(
        "press:barrier-report:total", accessibility_setting("BARRIER_REPORT_MAX_TOTAL"), window
    ):
        raise RateLimited(window)


def office_recipients() -> list[str]:
    return list(accessibility_setting("BARRIER_REPORT_RECIPIENTS")) or [
        address for _name, address in settings.MANAGERS
    ]


def office_notify(*, report: BarrierReport, admin_url: str) -> None:
    recipients = office_recipients()
    if not recipients:
        logger.warning("Barrier report %s: no recipients (BARRIER_REPORT_RECIPIENTS)", report.pk)
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"report": report, "admin_url": admin_url}
        message = EmailMessage(
            subject=render_to_string("press/accessibility/mail_subject.txt", context).strip(),
            body=render_to_string("press/accessibility/mail.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            # The office answers the reporter from its own mail program.
            reply_to=[report.email] if report.email else None,
        )
    try:
        message.send()
    except Exception:  # stored already: the admin lists it, the mail is a convenience
        logger.exception("Barrier report %s: the office could not be told by mail", report.pk)


def report_submit(
    *, description: str, page_url: str, name: str, email: str, client: str, admin_url
) -> BarrierReport:
    """Store a report and tell the office once it is committed. Raises RateLimited.
    `admin_url`: a function of the report giving its address in the admin."""
    rate_limit_check(client=client)
    with transaction.atomic():
        report = BarrierReport.objects.create(
            description=description, page_url=page_url, name=name, email=email
        )
        transaction.on_commit(lambda: office_notify(report=report, admin_url=admin_url(report)))
    return report
