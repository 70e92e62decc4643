"""Wagtail's page URLs (`wagtail.urls`) with the page view finding the request's site first
(press.sites): include it last, where a Wagtail site includes `wagtail.urls`.

Wagtail's `serve` builds and compiles its site query for every page; press.sites asks for the
same candidates with SQL compiled once and chooses as Wagtail does, and Wagtail's
`Site.find_for_request` then answers from the request. Every other Wagtail URL stays as it is.
"""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from .views import page_serve

urlpatterns = [
    re_path(str(pattern.pattern), page_serve, name=pattern.name)
    if getattr(pattern, "name", None) == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]
