"""The press API's site lookup (press.models.sites) chooses the site Wagtail's
`Site.find_for_request` chooses, for every layout of hostnames, ports and default site and for
many hosts (case, trailing dot, IPv6, ports that match no site)."""

import itertools
import random

from django.test import RequestFactory
from wagtail.models import Page, Site

from press.models.sites import site_for_request

HOSTNAMES = ["presse.example", "andere.example", "localhost", "[::1]"]
PORTS = [80, 443, 8080]
HOSTS = [
    *(f"{name}:{port}" for name, port in itertools.product(HOSTNAMES, PORTS)),
    *HOSTNAMES,
    "PRESSE.Example",
    "presse.example.",
    "fremd.test",
    "fremd.test:8080",
]
# Hand-picked layouts (hostname, port, default), then random ones.
LAYOUTS = [
    [],
    [("presse.example", 80, True)],
    [("presse.example", 8080, False)],
    [("presse.example", 80, False), ("andere.example", 80, True)],
    [("presse.example", 80, False), ("presse.example", 8080, False)],
    [("presse.example", 80, True), ("presse.example", 8080, False)],
    [("presse.example", 8080, True), ("andere.example", 8080, False), ("localhost", 80, False)],
    [("localhost", 80, True), ("andere.example", 443, False), ("andere.example", 8080, False)],
]
rng = random.Random(19)
for _ in range(30):
    chosen = rng.sample(list(itertools.product(HOSTNAMES, PORTS)), rng.randint(1, 5))
    default = rng.randrange(len(chosen) + 1)  # sometimes no default site
    LAYOUTS.append([(h, p, n == default) for n, (h, p) in enumerate(chosen)])


def request_for(host: str, server_port: int):
    return RequestFactory().get("/api/press/releases", HTTP_HOST=host, SERVER_PORT=str(server_port))


def test_the_same_site_as_wagtail_for_every_layout_and_host(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    root = Page.get_first_root_node()
    pages = [root.add_child(instance=Page(title=f"Seite {n}", slug=f"seite-{n}")) for n in range(5)]
    compared = 0
    for layout in LAYOUTS:
        Site.objects.all().delete()
        for number, (hostname, port, default) in enumerate(layout):
            Site.objects.create(
                hostname=hostname, port=port, is_default_site=default, root_page=pages[number]
            )
        for host, server_port in itertools.product(HOSTS, PORTS):
            ours = site_for_request(request_for(host, server_port))
            wagtails = Site.find_for_request(request_for(host, server_port))
            assert (ours and ours.pk) == (wagtails and wagtails.pk), (layout, host, server_port)
            if ours is not None:
                assert ours.root_path == wagtails.root_page.path
            compared += 1
    assert compared == len(LAYOUTS) * len(HOSTS) * len(PORTS)
