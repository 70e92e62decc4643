"""E-mail subscriptions and sending releases, against a real SMTP server on loopback (aiosmtpd,
started per test): what the server received is what a subscriber would get."""

import datetime
import email
import email.policy
import re
import socket
import time
from unittest import mock
from urllib.parse import urlsplit

import django
import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from press.mailings.models import Delivery, Mailing
from press.mailings.tasks import mailing_deliver
from press.models import PressSettings
from press.subscriptions.mail import confirmation_url
from press.subscriptions.models import ConsentRecord, Subscriber, SubscriberMailingChoice
from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    TopicFactory,
    body_image,
    body_paragraph,
)

FROM = "presse@duesseldorf.example"


class SMTPRecorder:
    """An aiosmtpd handler that keeps every accepted mail and answers scripted failures:
    `data_replies` for the next DATA commands, `refused` per recipient address."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.data_replies: list[str] = []
        self.refused: dict[str, str] = {}
        # Keep the mail, then drop the connection before the 250 reaches the client: the
        # server has it, the sender cannot know.
        self.vanish_after_data: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        if self.vanish_after_data & set(envelope.rcpt_tos):
            self.vanish_after_data -= set(envelope.rcpt_tos)
            server.transport.close()
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    def recipients(self):
        return sorted(m["X-Envelope-To"] for m in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_use(settings, *, port: int) -> None:
    """Mail goes over SMTP to 127.0.0.1:`port` (MAILERS from Django 6.1, else EMAIL_*)."""
    if django.VERSION >= (6, 1):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
            }
        }
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(db, settings, monkeypatch):
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    smtp_use(settings, port=controller.port)
    settings.DEFAULT_FROM_EMAIL = FROM
    monkeypatch.setattr("press.mailings.sending.MAIL_INLINE_BACKOFF", 0.01)
    yield recorder
    controller.stop()


class CommittingClient(Client):
    """A test client whose requests end as real ones do, with their work committed: what a
    request queues once it commits (the confirmation mail's task) then runs, on the backend
    the test configures (immediate: the mail is sent before the answer returns here)."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text_of(message, subtype="plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def link_in(message, kind: str) -> str:
    path = {"confirm": "confirm", "unsubscribe": "unsubscribe", "data": "data"}[kind]
    found = re.search(rf"https?://[^/\s]+(/\S+/{path}/[^/\s]+/)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def sign_up(client, address, **extra):
    return client.post(
        "/api/press/subscriptions",
        {"email": address, "consent": True, **extra},
        content_type="application/json",
    )


def subscribed(client, smtp, address) -> Subscriber:
    """Signed up and confirmed through the mail, as a reader would."""
    assert sign_up(client, address).status_code == 202
    confirm = link_in(smtp.to(address)[-1], "confirm")
    assert client.post(confirm).status_code == 200
    return Subscriber.objects.get(email=address)


def release_published(newsroom, *, send_to_subscribers=None, **kwargs):
    release = PressReleasePageFactory(parent=newsroom, live=False, **kwargs)
    if send_to_subscribers is not None:  # the editor's choice, as the release form saves it
        release.subscriber_mailing.add(SubscriberMailingChoice(send=send_to_subscribers))
        release.save()
    release.save_revision().publish()
    release.refresh_from_db()
    return release


# --- sign-up and double opt-in ----------------------------------------------------------------


def test_api_sign_up_sends_only_a_confirmation_until_the_link_is_used(
    client, smtp, newsroom, commit
):
    response = sign_up(client, "Leser@Example.ORG")

    assert response.status_code == 202
    assert "Posteingang" in response.json()["detail"]  # the site speaks German
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.state) == ("Leser@example.org", Subscriber.PENDING)
    consent = ConsentRecord.objects.get()
    assert consent.channel == ConsentRecord.API and consent.confirmed_at is None
    assert "Pressemitteilungen per E-Mail erhalten" in consent.consent_text
    [mail] = smtp.messages
    assert mail["To"] == "Leser@example.org" and mail["From"] == FROM
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://testserver/\S+/unsubscribe/\S+/>", mail["List-Unsubscribe"].strip()
    )

    # Not confirmed: a release goes to nobody.
    with commit():
        release_published(newsroom, title="Noch nicht bestätigt")
    assert len(smtp.messages) == 1
    assert Mailing.objects.get().deliveries.count() == 0

    confirm = link_in(mail, "confirm")
    assert client.get(confirm).status_code == 200  # a button; opening the link confirms nothing
    assert Subscriber.objects.get().state == Subscriber.PENDING
    assert client.post(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.CONFIRMED and subscriber.confirmed_at
    assert ConsentRecord.objects.get().confirmed_at == subscriber.confirmed_at

    again = client.post(confirm)  # the link works once
    assert again.status_code == 404
    assert "used already" in again.content.decode() or "bereits" in again.content.decode()


def test_an_expired_confirmation_link_confirms_nothing(client, smtp):
    sign_up(client, "spaet@example.org")
    subscriber = Subscriber.objects.get()
    three_days_ago = time.time() - 3 * 24 * 3600
    old_link = confirmation_url(
        subscriber, consent=subscriber.consents.get(), at=three_days_ago
    ).removeprefix("http://testserver")

    response = client.post(old_link)

    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.PENDING
    # The link in the mail (signed now) still works.
    assert client.post(link_in(smtp.messages[0], "confirm")).status_code == 200


def test_a_repeated_sign_up_within_the_cool_down_sends_no_second_mail(client, smtp):
    assert sign_up(client, "zweimal@example.org").status_code == 202
    assert sign_up(client, "ZWEIMAL@example.org").status_code == 202

    assert len(smtp.messages) == 1
    assert Subscriber.objects.count() == 1
    assert ConsentRecord.objects.count() == 2  # each agreement is logged

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert sign_up(client, "zweimal@example.org").status_code == 202
    assert len(smtp.messages) == 2


def test_the_answer_does_not_tell_whether_an_address_is_known(client, smtp):
    subscribed(client, smtp, "bekannt@example.org")
    known = sign_up(client, "bekannt@example.org")
    unknown = sign_up(client, "unbekannt@example.org")

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(smtp.to("bekannt@example.org")) == 1  # no new confirmation for a confirmed one


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"email": "kein-at-zeichen", "consent": True}, "email"),
        ({"email": "", "consent": True}, "email"),
        ({"email": "a@example.org\nBcc: x@example.org", "consent": True}, "email"),
        ({"email": "leser@example.org", "consent": False}, "consent"),
        ({"email": "leser@example.org"}, "consent"),
        ({"email": "leser@example.org", "consent": "vielleicht"}, "consent"),
    ],
)
def test_bad_sign_ups_are_problems_naming_the_parameter(client, smtp, body, parameter):
    response = client.post("/api/press/subscriptions", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["parameter"] == parameter
    assert smtp.messages == [] and Subscriber.objects.count() == 0


def test_sign_up_answers_only_post(client, db):
    response = client.get("/api/press/subscriptions")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")


def test_sign_ups_are_limited_per_address_and_per_client(client, smtp, settings):
    settings.PRESS = {
        **settings.PRESS,
        "SUBSCRIPTION_MAX_PER_ADDRESS": 2,
        "SUBSCRIPTION_MAX_PER_CLIENT": 3,
    }
    assert sign_up(client, "viel@example.org").status_code == 202
    assert sign_up(client, "viel@example.org").status_code == 202
    limited = sign_up(client, "viel@example.org")
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("application/problem+json")
    assert int(limited["Retry-After"]) > 0

    # The client's fourth sign-up, for a new address, is refused too; another client is not.
    assert sign_up(client, "neu@example.org").status_code == 429
    other = client.post(
        "/api/press/subscriptions",
        {"email": "neu@example.org", "consent": True},
        content_type="application/json",
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 202
    assert smtp.recipients() == ["neu@example.org", "viel@example.org"]


# --- abuse: what a stranger, a web page or a dead cache must not achieve ----------------------


def test_a_confirmation_link_confirms_only_the_sign_up_its_mail_was_sent_for(client, smtp, topics):
    """A stranger signs the owner's pending address up again, with other topics, inside the
    cool-down: the owner's click on their mail confirms what they asked for and what that mail
    named, and the consent log does not say they agreed to the stranger's topics."""
    assert sign_up(client, "inhaberin@example.org", topics=["verkehr"]).status_code == 202
    [mail] = smtp.messages
    assert "Verkehr" in text_of(mail) and "Kultur" not in text_of(mail)
    stranger = client.post(
        "/api/press/subscriptions",
        {"email": "inhaberin@example.org", "consent": True, "topics": ["kultur", "umwelt"]},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.9",
    )
    assert stranger.status_code == 202
    assert len(smtp.messages) == 1  # the cool-down: no second mail

    assert client.post(link_in(mail, "confirm")).status_code == 200

    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.CONFIRMED
    assert [topic.slug for topic in subscriber.topics.all()] == ["verkehr"]
    owners, strangers = ConsentRecord.objects.order_by("agreed_at", "pk")
    assert [t["slug"] for t in owners.topics] == ["verkehr"] and owners.confirmed_at
    assert [t["slug"] for t in strangers.topics] == ["kultur", "umwelt"]
    assert strangers.confirmed_at is None
    export = client.post(link_in(mail, "data"), {"action": "export"}).json()
    assert [c["confirmed_at"] is not None for c in export["consents"]] == [True, False]


def test_a_later_sign_up_is_confirmed_by_its_own_mail_only(client, smtp, topics):
    assert sign_up(client, "zwei-mails@example.org", topics=["verkehr"]).status_code == 202
    later = timezone.now() + datetime.timedelta(hours=2)  # past the cool-down
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert sign_up(client, "zwei-mails@example.org", topics=["kultur"]).status_code == 202
    first, second = smtp.messages
    assert "Kultur" in text_of(second) and "Kultur" not in text_of(first)

    assert client.post(link_in(second, "confirm")).status_code == 200

    subscriber = Subscriber.objects.get()
    assert [topic.slug for topic in subscriber.topics.all()] == ["kultur"]
    assert list(ConsentRecord.objects.order_by("pk").values_list("confirmed_at", flat=True)) == [
        None,
        subscriber.confirmed_at,
    ]
    # The first mail's link does not change a confirmed subscription.
    assert client.post(link_in(first, "confirm")).status_code == 404
    assert [topic.slug for topic in subscriber.topics.all()] == ["kultur"]


def dead_cache_port() -> int:
    return free_port()  # bound and released: nothing listens there


@pytest.mark.parametrize(
    "cache",
    [
        pytest.param(
            lambda port: {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
            },
            id="django-redis ignoring errors, as in production",
        ),
        pytest.param(
            lambda port: {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            },
            id="Django's Redis cache, raising",
        ),
    ],
)
def test_sign_up_limits_hold_while_the_cache_is_down(client, smtp, settings, caplog, cache):
    # The office's settings exist before the outage (saving them clears cached facts, which a
    # cache that raises would refuse; the limits are what this is about).
    PressSettings.for_site(Site.objects.get(is_default_site=True))
    settings.CACHES = {"default": cache(dead_cache_port())}
    settings.PRESS = {
        **settings.PRESS,
        "SUBSCRIPTION_MAX_PER_ADDRESS": 2,
        "SUBSCRIPTION_MAX_PER_CLIENT": 3,
    }

    answers = [sign_up(client, f"leser{n}@example.org").status_code for n in range(6)]

    assert answers == [202, 202, 202, 429, 429, 429]
    assert len(smtp.messages) == 3
    # Per address, from other clients.
    other = [
        client.post(
            "/api/press/subscriptions",
            {"email": "oft@example.org", "consent": True},
            content_type="application/json",
            REMOTE_ADDR=f"192.0.2.{n}",
        ).status_code
        for n in range(1, 5)
    ]
    assert other == [202, 202, 429, 429]
    # The form counts the same way.
    form = client.post("/presse-abo/", {"email": "formular@example.org", "consent": "on"})
    assert form.status_code == 429


def test_the_api_takes_only_json_so_no_web_page_signs_its_visitors_up(client, smtp):
    """A page on another site can post text/plain or form data cross-origin without a CORS
    preflight; JSON it cannot."""
    body = '{"email": "opfer@example.org", "consent": true}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = client.post("/api/press/subscriptions", body, content_type=content_type)
        assert response.status_code == 415, content_type
        assert response["Content-Type"].startswith("application/problem+json")
        assert "application/json" in response.json()["detail"]
    assert Subscriber.objects.count() == 0 and smtp.messages == []

    with_charset = client.post(
        "/api/press/subscriptions", body, content_type="application/json; charset=utf-8"
    )
    assert with_charset.status_code == 202


@pytest.mark.parametrize(
    "oversize",
    [
        pytest.param({}, id="the API's own limit"),
        pytest.param({"DATA_UPLOAD_MAX_MEMORY_SIZE": 1000}, id="DATA_UPLOAD_MAX_MEMORY_SIZE"),
    ],
)
def test_a_body_over_the_limit_is_a_problem_413(client, smtp, settings, oversize):
    for name, value in oversize.items():
        setattr(settings, name, value)
    body = {"email": "gross@example.org", "consent": True, "padding": "x" * 40_000}

    response = client.post("/api/press/subscriptions", body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 413 and "Bytes" in response.json()["detail"]
    assert Subscriber.objects.count() == 0


def test_no_answer_or_mail_in_the_request_tells_whether_an_address_is_known(client, smtp, settings):
    """The mail goes out from the worker's queue: unknown, pending and confirmed addresses get
    the same answer, and none of the requests talks to the mail server."""
    subscribed(client, smtp, "bestaetigt@example.org")
    assert sign_up(client, "wartend@example.org").status_code == 202
    smtp.messages.clear()
    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    from django_tasks import task_backends

    from press.subscriptions.tasks import confirmation_deliver

    answers = [
        sign_up(client, address)
        for address in ("unbekannt@example.org", "wartend@example.org", "bestaetigt@example.org")
    ]

    assert {a.status_code for a in answers} == {202}
    assert answers[0].content == answers[1].content == answers[2].content
    assert smtp.messages == []  # nothing sent while the client waited
    queued = task_backends["webhooks"].results
    assert len(queued) == 3  # one task each, whatever the address
    for result in queued:  # the worker runs them
        confirmation_deliver.call(*result.args, **result.kwargs)
    assert smtp.recipients() == ["unbekannt@example.org"]  # cool-down, confirmed: nothing


BAD_ADDRESSES = [
    "x@[127.0.0.1]",
    "x@[IPv6:::1]",
    "root@localhost",
    "leser@10.0.0.12",
    "leser%intern@example.org",
    '"leser"@example.org',
    '"jemand anders"@example.org',
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_addresses_a_press_office_would_never_mail_are_refused(client, smtp, newsroom, address):
    response = sign_up(client, address)
    assert response.status_code == 400
    assert response.json()["parameter"] == "email"

    form = client.post("/presse-abo/", {"email": address, "consent": "on"})
    assert form.status_code == 400
    assert "gültige E-Mail-Adresse" in form.content.decode()
    assert Subscriber.objects.count() == 0 and smtp.messages == []


@pytest.mark.parametrize("consent", ["yes", "true", "on", 1, None, [True]])
def test_consent_must_be_the_json_true(client, smtp, consent):
    response = sign_up(client, "leser@example.org", consent=consent)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["parameter"] == "consent"
    assert Subscriber.objects.count() == 0


def test_the_openapi_document_says_email_and_consent_true_are_required(client, db):
    schema = client.get("/api/press/openapi.json").json()
    request = schema["components"]["schemas"]["SubscriptionRequest"]
    assert {"email", "consent"} <= set(request["required"])
    consent = request["properties"]["consent"]
    assert consent["type"] == "boolean" and consent["const"] is True and "default" not in consent
    assert "default" not in request["properties"]["email"]
    responses = schema["paths"]["/api/press/subscriptions"]["post"]["responses"]
    for status in ("413", "415"):
        assert "application/problem+json" in responses[status]["content"]


# --- the form on the newsroom ---------------------------------------------------------------


def test_the_newsroom_has_a_form_that_works_without_javascript(client, smtp, newsroom):
    page = client.get("/presse/").content.decode()
    assert 'name="email"' in page and 'name="consent"' in page
    action = re.search(r'<form class="subscribe" method="post" action="([^"]+)"', page).group(1)

    missing = client.post(action, {"email": "falsch"})
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "gültige E-Mail-Adresse" in text
    assert "Bitte stimmen Sie" in text

    done = client.post(action, {"email": "formular@example.org", "consent": "on"})
    assert done.status_code == 200
    assert "Posteingang" in done.content.decode()
    assert smtp.recipients() == ["formular@example.org"]
    assert ConsentRecord.objects.get().channel == ConsentRecord.FORM


def test_the_form_is_csrf_protected(smtp, newsroom):

    guarded = CommittingClient(enforce_csrf_checks=True)
    response = guarded.post("/presse-abo/", {"email": "x@example.org", "consent": "on"})
    assert response.status_code == 403
    for forged in (
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ):
        response = guarded.post(
            "/presse-abo/", {"email": "x@example.org", "consent": "on"}, **forged
        )
        assert response.status_code == 403
    assert smtp.messages == []


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "http://testserver"}, {"HTTP_SEC_FETCH_SITE": "same-origin"}],
    ids=["origin", "fetch-metadata"],
)
def test_the_newsrooms_cached_form_signs_up_from_this_site_without_a_token(smtp, newsroom, headers):
    """The newsroom is one page for every reader in the edge cache, so its form carries no
    token: a browser's POST from this site is known by its Origin or Fetch Metadata."""
    page = CommittingClient().get(newsroom.url)
    assert "csrfmiddlewaretoken" not in page.content.decode()
    guarded = CommittingClient(enforce_csrf_checks=True)
    response = guarded.post(
        "/presse-abo/", {"email": "leserin@example.org", "consent": "on"}, **headers
    )
    assert response.status_code == 200
    assert smtp.recipients() == ["leserin@example.org"]


def test_the_sign_up_page_carries_its_token(smtp, newsroom):
    guarded = CommittingClient(enforce_csrf_checks=True)
    page = guarded.get("/presse-abo/")
    token = page.cookies["csrftoken"].value
    assert "csrfmiddlewaretoken" in page.content.decode()
    response = guarded.post(
        "/presse-abo/",
        {"email": "seite@example.org", "consent": "on", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert smtp.recipients() == ["seite@example.org"]


def test_the_api_sign_up_needs_no_csrf_token(smtp, newsroom):
    """A frontend on another origin signs up by JSON, as with every django-ninja operation: the
    press API's front door (press/api/urls.py) is exempt from the site's CSRF check."""

    frontend = CommittingClient(enforce_csrf_checks=True)
    assert sign_up(frontend, "leserin@example.org").status_code == 202
    assert smtp.to("leserin@example.org")


def test_the_form_says_when_there_were_too_many_sign_ups(client, smtp, newsroom, settings):
    settings.PRESS = {**settings.PRESS, "SUBSCRIPTION_MAX_PER_CLIENT": 1}
    client.post("/presse-abo/", {"email": "eins@example.org", "consent": "on"})
    response = client.post("/presse-abo/", {"email": "zwei@example.org", "consent": "on"})
    assert response.status_code == 429
    assert "Zu viele Anmeldungen" in response.content.decode()


# --- unsubscribe, data, clean-up -----------------------------------------------------------


def test_one_click_unsubscribe_by_post_without_login_or_csrf(client, smtp):

    subscribed(client, smtp, "weg@example.org")
    header = smtp.messages[-1]["List-Unsubscribe"].strip()
    url = urlsplit(header.strip("<>")).path

    mail_program = CommittingClient(enforce_csrf_checks=True)
    page = mail_program.get(url)
    assert page.status_code == 200 and "<button" in page.content.decode()
    assert Subscriber.objects.get().state == Subscriber.CONFIRMED

    response = mail_program.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().state == Subscriber.UNSUBSCRIBED
    # The visible link in the body is the same address.
    assert link_in(smtp.messages[-1], "unsubscribe") == url
    assert mail_program.post(url + "x").status_code == 404


def test_a_subscriber_exports_and_deletes_their_data(client, smtp):
    subscribed(client, smtp, "daten@example.org")
    url = link_in(smtp.messages[-1], "data")

    exported = client.post(url, {"action": "export"})
    assert exported["Content-Disposition"].startswith("attachment")
    data = exported.json()
    assert data["email"] == "daten@example.org" and data["state"] == "confirmed"
    assert data["consents"][0]["channel"] == "api" and data["consents"][0]["confirmed_at"]

    assert client.post(url, {"action": "delete"}).status_code == 200
    assert Subscriber.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert client.get(url).status_code == 404


def test_cleanup_deletes_unconfirmed_sign_ups_after_the_configured_days(client, smtp):
    sign_up(client, "alt@example.org")
    subscribed(client, smtp, "bestaetigt@example.org")
    old = timezone.now() - datetime.timedelta(days=8)
    Subscriber.objects.filter(email="alt@example.org").update(created_at=old)
    ConsentRecord.objects.filter(subscriber__email="alt@example.org").update(agreed_at=old)
    sign_up(client, "frisch@example.org")

    call_command("press_subscriptions_cleanup")

    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "bestaetigt@example.org",
        "frisch@example.org",
    ]


# --- sending releases ---------------------------------------------------------------------


@pytest.fixture
def readers(client, smtp):
    addresses = ["a@example.org", "b@example.org", "c@example.org"]
    for address in addresses:
        subscribed(client, smtp, address)
    sign_up(client, "unbestaetigt@example.org")
    smtp.messages.clear()
    return addresses


def test_a_publication_sends_one_mail_per_confirmed_subscriber_and_a_republication_none(
    newsroom, smtp, readers, commit
):
    image = ImageFactory(title="Rathaus")
    with commit():
        release = release_published(
            newsroom,
            title="Rheinufer wird saniert",
            body=[
                body_paragraph("<p>Die Arbeiten beginnen im Mai.</p>"),
                body_image(image, caption="Das Rheinufer", credit="Stadt Düsseldorf"),
            ],
        )

    assert smtp.recipients() == readers
    mail = smtp.to("a@example.org")[0]
    assert mail["Subject"] == "Rheinufer wird saniert"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = text_of(mail).replace("\r\n", "\n")
    assert plain.startswith(release.document.text)
    assert "Die Arbeiten beginnen im Mai." in plain
    html = text_of(mail, "html")
    assert "<h1>Rheinufer wird saniert</h1>" in html
    assert re.search(r'<a href="http://testserver/[^"]+">\s*<img src="http://testserver/', html)
    assert "Das Rheinufer © Stadt Düsseldorf" in html
    # Each recipient has their own unsubscribe link.
    links = {m["List-Unsubscribe"] for m in smtp.messages}
    assert len(links) == 3
    mailing = Mailing.objects.get(release=release)
    assert (mailing.sent_count(), mailing.pending_count(), mailing.failed_count()) == (3, 0, 0)

    with commit():
        release.title = "Rheinufer wird saniert (aktualisiert)"
        release.save_revision().publish()
        mailing_deliver.call(mailing_id=mailing.pk)  # a task run twice sends nothing either
    assert len(smtp.messages) == 3
    assert Mailing.objects.count() == 1


def test_an_editor_can_leave_a_release_out(newsroom, smtp, readers, commit):
    with commit():
        release_published(newsroom, send_to_subscribers=False)
    assert smtp.messages == [] and Mailing.objects.count() == 0


def test_drafts_scheduled_and_private_releases_send_nothing(newsroom, smtp, readers, commit):
    with commit():
        PressReleasePageFactory(parent=newsroom, live=False).save_revision()
        scheduled = PressReleasePageFactory(parent=newsroom, live=False, title="Sperrfrist")
        scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        scheduled.save_revision().publish()
    assert smtp.messages == []

    PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="intern"
    )
    with commit():
        release_published(newsroom, title="Intern")
    assert smtp.messages == [] and Mailing.objects.count() == 0


def test_a_release_unpublished_before_the_worker_ran_is_not_sent(
    newsroom, smtp, readers, commit, settings
):
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    with commit():
        release = release_published(newsroom, title="Zurückgezogen")
    release.unpublish()
    mailing = Mailing.objects.get(release=release)

    mailing_deliver.call(mailing_id=mailing.pk)

    assert smtp.messages == []


def test_a_scheduled_release_is_sent_when_it_goes_live(newsroom, smtp, readers, commit):
    release = PressReleasePageFactory(parent=newsroom, live=False, title="Sperrfrist 10 Uhr")
    release.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with commit():
        release.save_revision().publish()
    assert smtp.messages == []

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), commit():
        call_command("publish_scheduled")
    assert smtp.recipients() == readers
    assert {m["Subject"] for m in smtp.messages} == {"Sperrfrist 10 Uhr"}


def test_a_temporary_failure_is_retried_and_delivered_once(newsroom, smtp, readers, commit):
    smtp.data_replies = ["451 4.3.0 Try again later"]
    with commit():
        release = release_published(newsroom)

    assert smtp.recipients() == readers  # each exactly once
    deliveries = Delivery.objects.filter(mailing__release=release).order_by("pk")
    first = deliveries[0]
    assert (first.state, first.attempts) == (Delivery.SENT, 2)  # the 451, then accepted
    assert [d.state for d in deliveries] == [Delivery.SENT] * 3


def test_a_permanent_failure_is_recorded_on_the_recipient(newsroom, smtp, readers, commit):
    smtp.refused["b@example.org"] = "550 5.1.1 No such user"
    with commit():
        release = release_published(newsroom)

    assert smtp.recipients() == ["a@example.org", "c@example.org"]
    failed = Delivery.objects.get(mailing__release=release, subscriber__email="b@example.org")
    assert failed.state == Delivery.FAILED and failed.attempts == 1
    assert "550" in failed.error and "No such user" in failed.error
    mailing = Mailing.objects.get()
    assert (mailing.sent_count(), mailing.pending_count(), mailing.failed_count()) == (2, 0, 1)


def test_a_server_that_stays_down_fails_the_mails_after_the_attempts_each_recorded(
    newsroom, smtp, readers, commit, settings
):
    smtp_use(settings, port=free_port())  # nobody listens there
    settings.PRESS = {**settings.PRESS, "MAIL_ATTEMPTS": 2}
    with commit():
        release = release_published(newsroom)
    mailing = Mailing.objects.get(release=release)
    assert smtp.messages == []
    assert mailing.failed_count() == 3  # given up after the attempts, each one recorded

    # An editor's (or a worker's) next run after the outage: the failed stay failed, nothing
    # is sent twice; a resumed run sends only what is pending.
    smtp_use(settings, port=smtp.port)
    mailing.deliveries.update(state=Delivery.PENDING, attempts=0, not_before=None)
    mailing_deliver.call(mailing_id=mailing.pk)
    assert smtp.recipients() == readers


def test_a_run_resumed_after_a_crash_sends_only_the_rest(newsroom, smtp, readers, commit, settings):
    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        release = release_published(newsroom)
    assert smtp.messages == []  # queued, not sent
    mailing = Mailing.objects.get(release=release)

    from press.mailings.sending import recipients_fix

    recipients_fix(mailing=mailing)
    deliveries = list(mailing.deliveries.order_by("subscriber__email"))
    # The crash: a was sent and recorded, b was claimed by the worker that died (long ago),
    # c was never reached.
    Delivery.objects.filter(pk=deliveries[0].pk).update(state=Delivery.SENT)
    Delivery.objects.filter(pk=deliveries[1].pk).update(
        state=Delivery.SENDING, claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    # A claim of a worker that is still at it is left alone.
    fresh = Subscriber.objects.create(email="d@example.org", state=Subscriber.CONFIRMED)
    Delivery.objects.create(
        mailing=mailing, recipient=fresh, state=Delivery.SENDING, claimed_at=timezone.now()
    )

    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    from press.mailings.sending import mailing_send

    mailing_send(mailing_id=mailing.pk, deferred=False)

    assert smtp.recipients() == ["b@example.org", "c@example.org"]
    mailing_send(mailing_id=mailing.pk, deferred=False)
    assert len(smtp.messages) == 2


def test_a_second_worker_sends_only_what_the_first_has_not_claimed(
    newsroom, smtp, readers, commit, settings
):
    from press.mailings.sending import deliveries_claim, mailing_send, recipients_fix

    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        release = release_published(newsroom)
    mailing = Mailing.objects.get(release=release)
    recipients_fix(mailing=mailing)
    first_worker = deliveries_claim(mailing=mailing, limit=2)  # claimed, still being sent

    mailing_send(mailing_id=mailing.pk, deferred=False)  # the second worker

    assert len(first_worker) == 2
    assert smtp.recipients() == ["c@example.org"]
    assert deliveries_claim(mailing=mailing, limit=10) == []  # nothing left for a third


def test_the_unique_delivery_per_recipient_is_enforced_by_the_database(newsroom, smtp, readers):
    from django.db import IntegrityError, transaction

    release_published(newsroom)  # the mailing is made at once, sent once the publish commits
    mailing = Mailing.objects.get()
    subscriber = Subscriber.objects.filter(state=Subscriber.CONFIRMED).first()
    Delivery.objects.create(mailing=mailing, recipient=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(mailing=mailing, recipient=subscriber)


def test_editors_see_subscribers_consents_and_mailing_counts_but_add_no_address(
    admin_client, newsroom, smtp, readers, commit
):
    smtp.refused["b@example.org"] = "550 5.1.1 No such user"
    with commit():
        release_published(newsroom, title="Zählbar")

    subscribers = admin_client.get(reverse("press_subscribers:index")).content.decode()
    assert "a@example.org" in subscribers and "unbestaetigt@example.org" in subscribers
    assert admin_client.get(reverse("press_subscribers:add")).status_code == 302  # refused
    assert not Subscriber.objects.filter(email="").exists()
    consents = admin_client.get(reverse("press_consents:index")).content.decode()
    assert "c@example.org" in consents
    consent = ConsentRecord.objects.first()
    assert admin_client.get(reverse("press_consents:edit", args=[consent.pk])).status_code == 302
    inspect = admin_client.get(reverse("press_consents:inspect", args=[consent.pk]))
    assert inspect.status_code == 200
    assert "Pressemitteilungen per E-Mail erhalten" in inspect.content.decode()
    mailings = admin_client.get(reverse("press_mailings:index")).content.decode()
    assert "Zählbar" in mailings
    # sent 2, pending 0, failed 1, as columns of the listing
    assert re.search(r">\s*2\s*<.*>\s*0\s*<.*>\s*1\s*<", mailings, re.S)
    export = admin_client.get(reverse("press_subscribers:index") + "?export=csv")
    assert b"a@example.org" in b"".join(export.streaming_content)
    subscriber = Subscriber.objects.get(email="c@example.org")
    admin_client.post(reverse("press_subscribers:delete", args=[subscriber.pk]))
    assert not Subscriber.objects.filter(email="c@example.org").exists()


def test_an_unsubscribed_reader_gets_no_release(client, newsroom, smtp, readers, commit):
    first = Subscriber.objects.get(email="a@example.org")
    from press.subscriptions.mail import subscriber_links

    url = subscriber_links(first)["unsubscribe_url"].removeprefix("http://testserver")
    client.post(url)
    with commit():
        release_published(newsroom)
    assert smtp.recipients() == ["b@example.org", "c@example.org"]


# --- topics ---------------------------------------------------------------------------------


@pytest.fixture
def topics(db):
    return {
        slug: TopicFactory(name=name, slug=slug)
        for slug, name in (("verkehr", "Verkehr"), ("umwelt", "Umwelt"), ("kultur", "Kultur"))
    }


def test_subscribers_of_a_release_are_those_of_all_and_of_its_topics_each_once(newsroom, topics):
    """The recipient selection alone, without HTTP or SMTP."""
    from press.subscriptions.kinds import subscribers_for_release

    def subscriber(email, *slugs, state=Subscriber.CONFIRMED):
        created = Subscriber.objects.create(email=email, state=state)
        created.topics.set([topics[slug] for slug in slugs])
        return created

    everything = subscriber("alles@example.org")
    traffic = subscriber("verkehr@example.org", "verkehr")
    both = subscriber("beides@example.org", "verkehr", "umwelt")
    subscriber("kultur@example.org", "kultur")
    subscriber("offen@example.org", "verkehr", state=Subscriber.PENDING)
    subscriber("weg@example.org", state=Subscriber.UNSUBSCRIBED)
    release = release_published(newsroom, topics=[topics["verkehr"], topics["umwelt"]])
    untopical = release_published(newsroom)

    assert sorted(subscribers_for_release(release=release), key=lambda s: s.pk) == [
        everything,
        traffic,
        both,
    ]
    assert list(subscribers_for_release(release=untopical)) == [everything]


def test_a_release_is_mailed_to_subscribers_of_all_and_of_its_topics_once(
    client, newsroom, smtp, topics, commit
):
    subscribed(client, smtp, "alles@example.org")
    for address, slugs in (
        ("verkehr@example.org", ["verkehr"]),
        ("beides@example.org", ["verkehr", "umwelt"]),
        ("kultur@example.org", ["kultur"]),
    ):
        assert sign_up(client, address, topics=slugs).status_code == 202
        assert client.post(link_in(smtp.to(address)[-1], "confirm")).status_code == 200
    consent = ConsentRecord.objects.get(subscriber__email="beides@example.org")
    assert consent.topics == [
        {"slug": "umwelt", "name": "Umwelt"},
        {"slug": "verkehr", "name": "Verkehr"},
    ]
    assert consent.confirmed_at is not None
    assert ConsentRecord.objects.get(subscriber__email="alles@example.org").topics == []
    smtp.messages.clear()

    with commit():
        release_published(
            newsroom, title="Neue Busspuren", topics=[topics["verkehr"], topics["umwelt"]]
        )

    assert smtp.recipients() == [
        "alles@example.org",
        "beides@example.org",
        "verkehr@example.org",
    ]
    smtp.messages.clear()
    with commit():
        release_published(newsroom, title="Kein Thema")
    assert smtp.recipients() == ["alles@example.org"]


def test_a_sign_up_with_an_unknown_topic_is_a_problem_naming_topics(client, smtp, topics):
    for slugs in (["verkehr", "gibt-es-nicht"], ["x\u0000y"], "verkehr"):
        response = sign_up(client, "leser@example.org", topics=slugs)
        assert response.status_code == 400, slugs
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["parameter"] == "topics"
    assert (
        "gibt-es-nicht"
        in sign_up(client, "leser@example.org", topics=["gibt-es-nicht"]).json()["detail"]
    )
    assert smtp.messages == [] and Subscriber.objects.count() == 0


def test_the_openapi_document_describes_the_topics_of_a_sign_up(client, db):
    schema = client.get("/api/press/openapi.json").json()
    request = schema["components"]["schemas"]["SubscriptionRequest"]["properties"]
    assert request["topics"]["type"] == "array"
    assert request["topics"]["items"]["type"] == "string"
    assert "topics" in request["topics"]["description"]


def test_the_newsroom_form_offers_topics_without_javascript(client, smtp, newsroom, topics):
    page = client.get("/presse/").content.decode()
    for slug in ("verkehr", "umwelt", "kultur"):
        assert f'<input type="checkbox" name="topics" value="{slug}">' in page

    wrong = client.post(
        "/presse-abo/",
        {"email": "form@example.org", "consent": "on", "topics": ["verkehr", "erfunden"]},
    )
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "Bitte wählen Sie Themen aus der Liste." in text
    assert 'value="verkehr" checked' in text  # the reader's choice is kept
    assert smtp.messages == []

    done = client.post(
        "/presse-abo/",
        {"email": "form@example.org", "consent": "on", "topics": ["verkehr", "kultur"]},
    )
    assert done.status_code == 200
    subscriber = Subscriber.objects.get(email="form@example.org")
    consent = ConsentRecord.objects.get(subscriber=subscriber)
    assert consent.channel == ConsentRecord.FORM
    assert [topic["slug"] for topic in consent.topics] == ["kultur", "verkehr"]
    assert smtp.recipients() == ["form@example.org"]
    # The topics take effect when the owner confirms the mail that names them.
    assert "Kultur, Verkehr" in text_of(smtp.messages[0])
    assert client.post(link_in(smtp.messages[0], "confirm")).status_code == 200
    assert {topic.slug for topic in subscriber.topics.all()} == {"verkehr", "kultur"}


# --- a worker killed in the middle (the task's process dies: nothing after that point runs) ---


class WorkerKilled(BaseException):
    """SIGKILL as the code under test sees it: no except clause and no later statement runs."""


@pytest.fixture
def queued(newsroom, smtp, readers, commit, settings):
    """A published release whose mailing waits in a worker queue, its recipients fixed."""
    from press.mailings.sending import recipients_fix

    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        release = release_published(newsroom)
    mailing = Mailing.objects.get(release=release)
    recipients_fix(mailing=mailing)
    return mailing


def after_the_claims_expired():
    from press.mailings.conf import mailings_setting

    later = timezone.now() + datetime.timedelta(seconds=mailings_setting("MAIL_CLAIM_SECONDS") + 1)
    return mock.patch("django.utils.timezone.now", return_value=later)


def test_a_worker_killed_after_the_server_accepted_a_mail_sends_that_one_again_flagged(
    queued, smtp, readers, admin_client
):
    from press.mailings.sending import Batch, mailing_send
    from press.mailings.tasks import mailings_resume

    record = Batch.handover_record

    def dies_after_b_was_accepted(self, *, sent, next_up):
        if sent is not None and sent.recipient.email == "b@example.org":
            raise WorkerKilled  # the server answered 250 for b; its UPDATE never ran
        return record(self, sent=sent, next_up=next_up)

    with (
        mock.patch.object(Batch, "handover_record", dies_after_b_was_accepted),
        pytest.raises(WorkerKilled),
    ):
        mailing_send(mailing_id=queued.pk, deferred=True)
    assert smtp.recipients() == ["a@example.org", "b@example.org"]
    # Within the claim's lease a new run and the cron job leave the (maybe living) worker alone.
    assert mailings_resume() == []
    mailing_send(mailing_id=queued.pk, deferred=False)
    assert len(smtp.messages) == 2

    with after_the_claims_expired():
        assert mailings_resume() == [queued.pk]
        mailing_send(mailing_id=queued.pk, deferred=False)

    # Nobody missing; b, whose acceptance was never recorded, got it twice as the same message.
    assert smtp.recipients() == ["a@example.org", "b@example.org", "b@example.org", "c@example.org"]
    first, again = smtp.to("b@example.org")
    assert first["Message-ID"] == again["Message-ID"]
    deliveries = {d.recipient.email: d for d in queued.deliveries.prefetch_related("recipient")}
    assert {email: d.state for email, d in deliveries.items()} == dict.fromkeys(
        readers, Delivery.SENT
    )
    # The office can see which recipient may have it twice: that one, not c (claimed by the
    # dead worker but never handed to the server).
    assert {email for email, d in deliveries.items() if d.maybe_twice} == {"b@example.org"}
    listing = admin_client.get(reverse("press_mailings:index")).content.decode()
    assert "möglicherweise doppelt erhalten" in listing.lower()  # the column, in German
    # sent 3, pending 0, failed 0, possibly twice 1
    assert re.search(r">\s*3\s*<.*>\s*0\s*<.*>\s*0\s*<.*>\s*1\s*<", listing, re.S)
    with after_the_claims_expired():
        assert mailings_resume() == []
        mailing_send(mailing_id=queued.pk, deferred=False)
    assert len(smtp.messages) == 4


def test_a_worker_killed_before_handing_a_mail_over_leaves_no_duplicate(queued, smtp):
    from press.mailings.sending import Batch, mailing_send

    def dies_after_claiming(self, *, sent, next_up):
        raise WorkerKilled  # the batch is claimed; not one mail has been handed over

    with (
        mock.patch.object(Batch, "handover_record", dies_after_claiming),
        pytest.raises(WorkerKilled),
    ):
        mailing_send(mailing_id=queued.pk, deferred=True)
    assert smtp.messages == []
    assert queued.deliveries.filter(state=Delivery.SENDING).count() == 3

    with after_the_claims_expired():
        mailing_send(mailing_id=queued.pk, deferred=False)

    assert smtp.recipients() == ["a@example.org", "b@example.org", "c@example.org"]
    assert not queued.deliveries.filter(maybe_twice=True).exists()
    assert queued.sent_count() == 3


def test_the_resume_job_requeues_a_mailing_whose_worker_died_before_fixing_recipients_only_while_public(
    newsroom, smtp, readers, commit, settings
):
    from press.mailings.tasks import mailings_resume

    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        release = release_published(newsroom)
    mailing = Mailing.objects.get(release=release)
    assert mailings_resume() == []  # just queued: its worker may be at it
    with after_the_claims_expired():
        assert mailings_resume() == [mailing.pk]
        call_command("press_mailings_resume")
        mailing_deliver.using(backend="default").call(mailing_id=mailing.pk)
    assert smtp.recipients() == readers
    with after_the_claims_expired():
        assert mailings_resume() == []  # nothing left

    # Taken offline while mails were pending: the job leaves it stopped.
    mailing.deliveries.update(state=Delivery.PENDING)
    release.unpublish()
    with after_the_claims_expired():
        assert mailings_resume() == []


def test_a_connection_lost_after_the_mail_was_sent_retries_it_flagged(
    newsroom, smtp, readers, commit
):
    smtp.vanish_after_data = {"b@example.org"}
    with commit():
        release = release_published(newsroom)

    # SMTP's own blind spot: b's server kept the mail but its 250 never arrived. The retry
    # makes sure b has it, as the same message, and says so on the delivery.
    assert smtp.recipients() == ["a@example.org", "b@example.org", "b@example.org", "c@example.org"]
    first, again = smtp.to("b@example.org")
    assert first["Message-ID"] == again["Message-ID"]
    twice = Delivery.objects.filter(mailing__release=release, maybe_twice=True)
    assert [d.recipient.email for d in twice] == ["b@example.org"]
    assert Mailing.objects.get().sent_count() == 3
