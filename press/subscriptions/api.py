"""The press API's subscription operation (`POST /api/press/subscriptions`), added to the
API where press.subscriptions is installed."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field, StrictBool
from wagtail.coreutils import get_content_languages

from ..api.endpoints import ProblemError
from ..api.schemas import Problem
from ..http import problem_response
from . import service as subscription_service
from .limits import RateLimited
from .models import ConsentRecord

# Far more than an address and a hundred topic slugs take; a body beyond is refused unread.
BODY_MAX_BYTES = 32 * 1024


class SubscriptionRequest(Schema):
    email: str = Field(
        max_length=1000,
        description=gettext_lazy(
            "The address that is to receive the press releases: a plain address at a named "
            "domain (no IP address, no dotless domain such as localhost, no quoted local part, "
            "no % routing)."
        ),
    )
    # Strict: the JSON `true` and nothing else ("yes", 1 or "true" are no agreement).
    consent: StrictBool = Field(
        description=gettext_lazy(
            "The subscriber's agreement to receive the press releases by e-mail: must be the "
            "JSON value true."
        ),
        json_schema_extra={"const": True},
    )
    language: str | None = Field(
        None,
        max_length=20,
        description=gettext_lazy(
            "Language of the mails (de, en, de-x-ls for Leichte Sprache): a release goes out "
            "in it where it has a version in it, else in German. Absent: the request's "
            "language. An unknown language is a 400 naming “language”."
        ),
    )
    topics: list[str] = Field(
        default_factory=list,
        max_length=100,
        description=gettext_lazy(
            "Slugs of the topics whose press releases the subscriber wants; empty or absent: "
            "all press releases. An unknown slug is a 400 naming “topics”."
        ),
    )


class SubscriptionAccepted(Schema):
    detail: str = Field(
        description=gettext_lazy(
            "The same answer for every accepted sign-up: a mail with a confirmation link follows "
            "unless the address is subscribed already."
        )
    )


def body_checked(run):
    """The operation, answering a body that is too large (413) or not JSON (415) before it is
    read: only `application/json` is accepted, so that no web page can post a sign-up from its
    visitors' browsers as a "simple" cross-origin request (text/plain, form data) without a
    CORS preflight, which the API's CORS settings refuse for POST."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = min(BODY_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or BODY_MAX_BYTES)
        if length > limit:
            return problem_response(
                status=413,
                title=_("Content Too Large"),
                detail=_("The request body must be at most %(limit)s bytes.") % {"limit": limit},
            )
        if request.content_type != "application/json":
            return problem_response(
                status=415,
                title=_("Unsupported Media Type"),
                detail=_("The request body must be JSON, sent as “Content-Type: %(type)s”.")
                % {"type": "application/json"},
            )
        return run(request, *args, **kwargs)

    return checked


def subscriptions_api_register(*, api) -> None:
    @api.post(
        "/subscriptions",
        response={
            202: SubscriptionAccepted,
            400: Problem,
            413: Problem,
            415: Problem,
            429: Problem,
        },
        operation_id="subscription_create",
        summary=gettext_lazy("Subscribe to the press releases by e-mail"),
        description=gettext_lazy(
            "Starts a double opt-in: the address receives a mail with a confirmation link and "
            "nothing else before it is confirmed. The answer is the same whether or not the "
            "address is known. `topics` (slugs) limits the subscription to those topics' releases; "
            "without it the subscriber receives all. The body must be JSON "
            "(`Content-Type: application/json`; else 415) of at most 32 KiB (else 413). 400 for "
            "an invalid address, consent that is not `true` or an unknown topic, 429 for too "
            "many sign-ups of the address or the client (Retry-After)."
        ),
        tags=[gettext_lazy("Subscriptions")],
    )
    @decorate_view(body_checked)
    def subscription_create(request: HttpRequest, payload: SubscriptionRequest):
        try:
            email = subscription_service.email_normalize(payload.email)
        except DjangoValidationError:
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_("Parameter “email” must be an e-mail address, such as name@example.org."),
                parameter="email",
            ) from None
        if payload.consent is not True:
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_(
                    "Parameter “consent” must be true: the subscriber's agreement is required."
                ),
                parameter="consent",
            )
        if payload.language is not None and payload.language not in get_content_languages():
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_("Parameter “language”: releases exist in %(languages)s.")
                % {"languages": ", ".join(get_content_languages())},
                parameter="language",
            )
        try:
            topics = subscription_service.topics_for_slugs(slugs=payload.topics)
        except subscription_service.UnknownTopics as unknown:
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_("Parameter “topics” names no topic: %(slugs)s.")
                % {"slugs": ", ".join(unknown.slugs)},
                parameter="topics",
            ) from None
        try:
            subscription_service.subscribe(
                email=email,
                channel=ConsentRecord.API,
                client=request.META.get("REMOTE_ADDR", "") or "unknown",
                language=payload.language or get_language() or "",
                topics=topics,
            )
        except RateLimited as limited:
            response = problem_response(
                status=429,
                title=_("Too Many Requests"),
                detail=_("Too many sign-ups. Please try again later."),
                parameter="email",
            )
            response["Retry-After"] = str(limited.seconds)
            return response
        return Status(202, {"detail": str(subscription_service.NEUTRAL_ANSWER)})
