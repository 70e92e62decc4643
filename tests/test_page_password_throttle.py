"""Page passwords are throttled like admin logins: per client address and protected page."""

import time

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import PressReleasePageFactory

PASSWORD = "richtig-geheim"
LIMIT = 5


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PRESS = {**settings.PRESS, "PAGE_PASSWORD_MAX_ATTEMPTS": LIMIT}


def protected(newsroom, slug):
    page = PressReleasePageFactory(parent=newsroom, title=f"Intern {slug}", slug=slug)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


@pytest.fixture
def page(newsroom):
    return protected(newsroom, "intern")


def attempt(client, page_and_restriction, password, address="203.0.113.7"):
    page, restriction = page_and_restriction
    return client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
        {"password": password, "return_url": page.url},
        REMOTE_ADDR=address,
    )


def test_the_right_password_before_the_limit_opens_the_page(client, page):
    for _ in range(LIMIT - 1):
        assert attempt(client, page, "falsch").status_code == 200  # the form again
    response = attempt(client, page, PASSWORD)
    assert response.status_code == 302
    assert client.get(page[0].url, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_after_the_limit_even_the_right_password_is_answered_429(client, page):
    for _ in range(LIMIT):
        assert attempt(client, page, "falsch").status_code == 200

    statuses = [attempt(client, page, "falsch").status_code for _ in range(55)]
    response = attempt(client, page, PASSWORD)

    assert set(statuses) == {429}
    assert response.status_code == 429
    assert "Zu viele falsche Passwörter für diese Seite" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # Not let in: the page still asks for its password.
    assert "password" in client.get(page[0].url, REMOTE_ADDR="203.0.113.7").content.decode()


def test_another_page_and_another_address_are_not_affected(client, newsroom, page):
    other = protected(newsroom, "anderes-intern")
    for _ in range(LIMIT):
        attempt(client, page, "falsch")
    assert attempt(client, page, PASSWORD).status_code == 429

    assert attempt(client, other, PASSWORD).status_code == 302
    assert attempt(client, page, PASSWORD, address="198.51.100.9").status_code == 302


def test_the_page_opens_again_when_the_window_has_passed(client, page, settings):
    settings.PRESS = {**settings.PRESS, "PAGE_PASSWORD_WINDOW": 1}
    for _ in range(LIMIT):
        attempt(client, page, "falsch")
    assert attempt(client, page, PASSWORD).status_code == 429

    time.sleep(1.2)

    assert attempt(client, page, PASSWORD).status_code == 302


def test_the_refusal_is_english_for_an_english_site(client, page, settings):
    settings.LANGUAGE_CODE = "en"
    for _ in range(LIMIT):
        attempt(client, page, "falsch")
    response = attempt(client, page, PASSWORD)
    assert response.status_code == 429
    assert "Too many wrong passwords for this page" in response.content.decode()
