"""Reports of barriers and the accessibility statement.

A public body must answer a report within one month (BITV 2.0 § 7 (1) with the EU Web
Accessibility Directive, Art. 7 (1) b); the admin lists the open ones with that date."""

import calendar
import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


def month_later(day: datetime.date) -> datetime.date:
    """The same day a month later, or the month's last day (31 January → 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class BarrierReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_at__isnull=True)


class BarrierReport(models.Model):
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    description = models.TextField(_("description of the barrier"), max_length=5000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    answered_at = models.DateField(
        _("answered on"),
        null=True,
        blank=True,
        help_text=_("The day the office answered. Empty: the report is open."),
    )
    answer_note = models.TextField(_("note on the answer"), blank=True)

    objects = BarrierReportQuerySet.as_manager()

    panels = [
        FieldPanel("page_url", read_only=True),
        FieldPanel("description", read_only=True),
        FieldPanel("name", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("answered_at"),
        FieldPanel("answer_note"),
    ]

    class Meta:
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")
        # The admin's list: the open reports first, the oldest (nearest its deadline) on top.
        ordering = [models.F("answered_at").desc(nulls_first=True), "created_at"]

    def __str__(self) -> str:
        received = timezone.localtime(self.created_at).date().isoformat()
        return f"{received}: {self.description[:60]}"

    @property
    def reply_due(self) -> datetime.date:
        """The legal deadline of the answer: one month after the report arrived."""
        return month_later(timezone.localtime(self.created_at).date())

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class AccessibilityStatementPage(Page):
    """The Barrierefreiheitserklärung: the office writes and reviews it; the footer of every
    page of its site links it, and it links the form to report a barrier."""

    body = RichTextField(
        _("statement"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "How accessible the site is, what is not yet and why, the feedback contact and "
            "the enforcement procedure (Schlichtungsstelle)."
        ),
    )
    reviewed_at = models.DateField(
        _("last reviewed on"), help_text=_("The day the statement was last checked.")
    )

    content_panels = [*Page.content_panels, FieldPanel("reviewed_at"), FieldPanel("body")]
    template = "press/accessibility/statement_page.html"
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
