"""The limit of this stack: a view that only hands back bytes recorded earlier."""

from django.http import HttpResponse

# name -> (status, content type, body); filled by the bench before it measures.
RECORDED: dict[str, tuple[int, str, bytes]] = {}


def reference(request, name: str):
    status, content_type, body = RECORDED[name]
    return HttpResponse(body, status=status, content_type=content_type)
