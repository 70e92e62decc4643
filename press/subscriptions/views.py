"""The public pages of subscriptions: the sign-up form (works without JavaScript) and the
pages the links in the mails lead to. Never cached, never indexed."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ..models import Topic
from . import service
from .forms import SubscribeForm
from .limits import RateLimited
from .models import ConsentRecord
from .tokens import DATA, TokenError, TokenExpired


def client_address(request) -> str:
    # The address django-axes and the page-password throttle count (REMOTE_ADDR).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _page(request, *, title: str, message: str = "", status: int = 200, **context):
    if "form" in context:
        context["subscription_topics"] = list(Topic.objects.all())
    response = render(
        request,
        "press/subscriptions/page.html",
        {"title": title, "message": message, **context},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_invalid(request, *, expired: bool = False):
    if expired:
        message = _("This link has expired. Please sign up again.")
    else:
        message = _("This link is not valid or has been used already.")
    return _page(request, title=_("Link not valid"), message=message, status=404)


def posted_from_this_site(request) -> bool:
    """Whether a browser posted this from a page of this site, by the headers every current
    browser sends with a POST and no other site can forge: `Origin`, else the Fetch Metadata
    header `Sec-Fetch-Site` (OWASP's "verifying origin with standard headers")."""
    origin = request.headers.get("Origin")
    if origin:
        own = request.build_absolute_uri("/").rstrip("/")
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


# The form sits in the newsroom too, which the edge cache serves as one page to every reader:
# there it cannot hold a reader's own CSRF token. A POST from a page of this site (Origin or
# Fetch Metadata) is therefore taken without one; any other POST must pass Django's own check
# with the token the sign-up page carries. So no other web page can sign up addresses from its
# visitors' browsers.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method == "POST" and not posted_from_this_site(request):
        return csrf_protect(subscribe_answer)(request)
    return subscribe_answer(request)


def subscribe_answer(request):
    if request.method != "POST":
        return _page(request, title=_("Subscribe to press releases"), form=SubscribeForm())
    form = SubscribeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            service.subscribe(
                email=form.cleaned_data["email"],
                channel=ConsentRecord.FORM,
                client=client_address(request),
                language=form.cleaned_data["language"] or get_language() or "",
                topics=list(form.cleaned_data["topics"]),
            )
        except RateLimited:
            form.add_error(None, _("Too many sign-ups. Please try again later."))
            status = 429
        else:
            return _page(request, title=_("Almost done"), message=str(service.NEUTRAL_ANSWER))
    return _page(request, title=_("Subscribe to press releases"), form=form, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    if request.method != "POST":
        # A button, not the GET itself: mail scanners that open links confirm nothing.
        return _page(
            request,
            title=_("Confirm subscription"),
            message=_("Please confirm that you would like to receive the press releases."),
            button=_("Confirm subscription"),
        )
    try:
        service.confirm(token=token)
    except TokenExpired:
        return _link_invalid(request, expired=True)
    except TokenError:
        return _link_invalid(request)
    return _page(
        request,
        title=_("Subscription confirmed"),
        message=_("Thank you. From now on you will receive the press releases by e-mail."),
    )


@csrf_exempt  # RFC 8058: the mail program POSTs without a session; the signed token decides
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    try:
        if request.method != "POST":
            service.subscriber_for(kind=service.UNSUBSCRIBE, token=token)
            return _page(
                request,
                title=_("Unsubscribe"),
                message=_("Do you want to stop receiving the press releases by e-mail?"),
                button=_("Unsubscribe"),
            )
        service.unsubscribe(token=token)
    except TokenError:
        return _link_invalid(request)
    return _page(
        request,
        title=_("Unsubscribed"),
        message=_("You will receive no more press releases by e-mail."),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def data(request, token: str):
    try:
        subscriber = service.subscriber_for(kind=DATA, token=token)
    except TokenError:
        return _link_invalid(request)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "export":
        body = json.dumps(
            service.subscriber_data(subscriber), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscription-data.json"'
        return response
    if action == "delete":
        service.subscriber_delete(token=token)
        return _page(
            request,
            title=_("Data deleted"),
            message=_("Your subscription and all data stored about it have been deleted."),
        )
    return _page(
        request,
        title=_("Your data"),
        message=_(
            "We store your e-mail address, the state of your subscription and when you agreed "
            "to what. You can download these data or delete them together with your "
            "subscription."
        ),
        data_actions=True,
        status=400 if request.method == "POST" else 200,
    )
