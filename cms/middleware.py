"""The site's own error pages while DEBUG is on (the dev settings, `make run`).

With DEBUG on, Django answers a missing page or a failing view with its technical pages,
which the demo's readers would never see in production. This middleware answers as
production does, with Django's documented default error views (page_not_found,
server_error, which render templates/404.html and 500.html); the traceback of a failing
view still reaches the console through the `django.request` logger. Not in production's
MIDDLEWARE: there DEBUG is off and Django does the same by itself.
"""

import logging

from django.http import Http404
from django.views.defaults import page_not_found, server_error

logger = logging.getLogger("django.request")


class SiteErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return server_error(request)
