"""The site a request is for, as Wagtail's `Site.find_for_request` chooses it: the site rows
are read on every request, so a change made by another process counts at once."""

from wagtail.models import Page, Site

from tests.factories import HomePageFactory, PressIndexPageFactory, PressReleasePageFactory


def test_a_site_changed_elsewhere_counts_on_the_next_request(client, newsroom):
    """Another process moves the host to a second site: the next request of this process is
    answered for the second site."""
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
