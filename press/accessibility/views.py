"""The public form "Barriere melden": works without JavaScript, never cached, never indexed."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from ..addresses import base_url
from ..throttle import client_address
from . import service
from .forms import BarrierReportForm
from .links import statement_for_site


def _page(request, *, title: str, status: int = 200, **context):
    site = Site.find_for_request(request)
    response = render(
        request,
        "press/accessibility/report.html",
        {"title": title, "statement": statement_for_site(site), **context},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _admin_url(report) -> str:
    return base_url() + reverse("press_barrier_reports:edit", args=[report.pk])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def barrier_report(request):
    title = _("Report a barrier")
    if request.method != "POST":
        initial = {"page_url": request.GET.get("seite", "")[:500]}
        return _page(request, title=title, form=BarrierReportForm(initial=initial))
    form = BarrierReportForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            service.report_submit(
                **form.cleaned_data, client=client_address(request), admin_url=_admin_url
            )
        except service.RateLimited:
            form.add_error(None, _("Too many reports. Please try again later."))
            status = 429
        else:
            return _page(
                request,
                title=_("Thank you for your report"),
                message=_(
                    "We have received your report and will answer within one month if you "
                    "gave your e-mail address."
                ),
            )
    return _page(request, title=title, form=form, status=status)
