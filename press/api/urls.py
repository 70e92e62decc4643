"""The press API's addresses: django-ninja's operations and documents behind one front door,
so that every answer that is no success is problem details, as the API's document says.

ninja answers a method an operation does not take with an HTML 405, and a path it does not know
with the site's HTML 404. The front door (`press_api_front_door`, routed in press/urls.py for
every path below the API) resolves the path in this module's URLconf, which holds ninja's
patterns (`NinjaAPI.urls`), calls the view it finds and turns a 405 into problem details; a path
that resolves to nothing is a problem+json 404.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, path, resolve
from django.views.decorators.csrf import csrf_exempt

from ..http import edge_tag
from .endpoints import press_api, press_api_not_found, problems_only

# ninja's patterns, resolved by the front door: `urlconf=__name__` below.
urlpatterns = [path("", press_api.urls)]


@csrf_exempt  # as every ninja view: the API's operations check what they need themselves
def press_api_front_door(request: HttpRequest, rest: str) -> HttpResponse:
    try:
        match = resolve(f"/{rest}", urlconf=__name__)
    except Resolver404:
        return press_api_not_found(request)
    edge_tag(request, *operation_edge_tags(name=match.url_name, kwargs=match.kwargs))
    return problems_only(match.func)(request, *match.args, **match.kwargs)


def operation_edge_tags(*, name: str | None, kwargs: dict) -> list[str]:
    """What an operation's answer shows, for the edge cache (press.edge): a release's own
    answers by its id, the lists by every release and topic. Others (the API's documents, the
    preview) carry no tag and are kept by no edge cache."""
    if name in ("releases_detail", "releases_ninjs"):
        return [f"release-{kwargs['id']}"]
    if name in ("releases_list", "releases_by_path", "topics_list"):
        return ["releases", "topics"]
    return []
