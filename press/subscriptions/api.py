"""The press API's subscription operation (`POST /api/press/subscriptions`), added to the
API where press.subscriptions is installed."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field
from wagtail.coreutils import get_content_languages

from ..api.endpoints import ProblemError
from ..api.schemas import Problem
from ..http import problem_response
from . import service as subscription_service
from .models import ConsentRecord


class SubscriptionRequest(Schema):
    email: str = Field(
        "",
        max_length=1000,
        description=gettext_lazy("The address that is to receive the press releases."),
    )
    consent: bool = Field(
        False,
        description=gettext_lazy(
            "Whether the subscriber agreed to receive the press releases by e-mail (must be true)."
        ),
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


def subscriptions_api_register(*, api) -> None:
    @api.post(
        "/subscriptions",
        response={202: SubscriptionAccepted, 400: Problem, 429: Problem},
        operation_id="subscription_create",
        summary=gettext_lazy("Subscribe to the press releases by e-mail"),
        description=gettext_lazy(
            "Starts a double opt-in: the address receives a mail with a confirmation link and "
            "nothing else before it is confirmed. The answer is the same whether or not the "
            "address is known. `topics` (slugs) limits the subscription to those topics' releases; "
            "without it the subscriber receives all. 400 for an invalid address, missing consent "
            "or an unknown topic, 429 for too many sign-ups of the address or the client "
            "(Retry-After)."
        ),
        tags=[gettext_lazy("Subscriptions")],
    )
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
        except subscription_service.RateLimited as limited:
            response = problem_response(
                status=429,
                title=_("Too Many Requests"),
                detail=_("Too many sign-ups. Please try again later."),
                parameter="email",
            )
            response["Retry-After"] = str(limited.seconds)
            return response
        return Status(202, {"detail": str(subscription_service.NEUTRAL_ANSWER)})
