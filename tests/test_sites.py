"""The site a request is for (press.sites): the same choice as Wagtail's `Site.find_for_request`
for every combination of hostnames, ports and default site, with the site rows read on every
request (only the SQL is made once per process)."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from press.sites import site_for_request
from tests.factories import HomePageFactory, PressIndexPageFactory, PressReleasePageFactory

HOSTS = ["presse.example", "presse.example:8080", "andere.example", "andere.example:8080", "x.test"]
# Each layout: (hostname, port, default) per site.
LAYOUTS = [
    [("presse.example", 80, True)],
    [("presse.example", 80, False)],
    [("presse.example", 8080, False)],
    [("presse.example", 80, True), ("andere.example", 80, False)],
    [("presse.example", 80, False), ("andere.example", 80, True)],
    [("presse.example", 80, False), ("presse.example", 8080, False)],
    [("presse.example", 80, True), ("presse.example", 8080, False)],
    [("presse.example", 8080, True), ("andere.example", 8080, False), ("x.test", 80, False)],
    [("localhost", 80, True), ("andere.example", 443, False), ("andere.example", 8080, False)],
    [("localhost", 80, True), ("andere.example", 443, False)],
]


def request_for(host: str):
    request = RequestFactory().get("/api/press/releases", HTTP_HOST=host)
    request.META["SERVER_PORT"] = host.partition(":")[2] or "80"
    return request


@pytest.mark.parametrize(
    "layout", LAYOUTS, ids=lambda layout: "+".join(f"{h}:{p}" for h, p, _ in layout)
)
def test_the_same_site_as_wagtail_for_every_host(db, layout):
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for number, (hostname, port, default) in enumerate(layout):
        page = root.add_child(instance=Page(title=f"Seite {number}", slug=f"seite-{number}"))
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=page)
    for host in HOSTS:
        ours = site_for_request(request_for(host))
        wagtails = Site.find_for_request(request_for(host))
        assert (ours and ours.pk) == (wagtails and wagtails.pk), host
        if ours is not None:
            assert ours.root_page.path == wagtails.root_page.path
            assert ours.root_url == wagtails.root_url
            # The whole root page, as Wagtail's own lookup reads it.
            assert ours.root_page.title == wagtails.root_page.title


def test_a_site_changed_elsewhere_counts_on_the_next_request(client, newsroom):
    """Another process moves the host to a second site: the next request (same process, its
    statement already made) is answered for the second site."""
    release = PressReleasePageFactory(parent=newsroom, title="Auf der ersten Seite")
    release.save_revision().publish()
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="zweite")
    Site.objects.create(hostname="zweite.example", port=80, root_page=home, site_name="Zweite")
    other_newsroom = PressIndexPageFactory(parent=home)
    other = PressReleasePageFactory(parent=other_newsroom, title="Auf der zweiten Seite")
    other.save_revision().publish()

    def titles(host):
        response = client.get("/api/press/releases", HTTP_HOST=host)
        assert response.status_code == 200
        return [item["title"] for item in response.json()["results"]]

    assert titles("zweite.example") == ["Auf der zweiten Seite"]
    assert titles("dritte.example") == ["Auf der ersten Seite"]  # the default site
    # Another process changes the sites table behind this one's back (no signal here).
    Site.objects.filter(hostname="zweite.example").update(hostname="dritte.example")
    assert titles("dritte.example") == ["Auf der zweiten Seite"]
    assert titles("zweite.example") == ["Auf der ersten Seite"]
    Site.objects.filter(hostname="dritte.example").delete()
    assert titles("dritte.example") == ["Auf der ersten Seite"]
    assert release.pk != other.pk


def test_every_host_with_no_site_at_all_is_none(db):
    Site.objects.all().delete()
    for host in HOSTS:
        assert site_for_request(request_for(host)) is None
        assert Site.find_for_request(request_for(host)) is None
