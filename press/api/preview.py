"""Preview for headless frontends: the editor sees the draft rendered by the frontend.

Pressing Preview in the admin sends the editor to `{FRONTEND_URL}/preview?token=…`; the frontend
asks `GET /api/press/preview?token=…` for the draft and renders it. The token is signed with the
site's SECRET_KEY and expires after PRESS["PREVIEW_TOKEN_MAX_AGE"] seconds; it names one
revision of one release, so it shows that draft and nothing else.

wagtail-headless-preview is not used: its 0.9 release declares Wagtail 7 only, keeps every
preview in a table of its own and never expires a token by its signature. Wagtail's own preview
mechanism (`serve_preview`) and Django's signing do the same with nothing stored.

The token names the latest *saved* revision: unsaved edits in the form are not in it, so the
frontend shows the draft as of the last "Entwurf speichern".
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query, Schema
from pydantic import Field
from wagtail.models import Revision

from ..documents import release_serialize
from ..http import problem_response
from ..models import PressReleasePage
from ..preview import CONTENT_TYPE, PreviewTokenError, preview_token_read
from .schemas import TEXT_PATTERN, Problem, Release

PREVIEW_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def preview_release_for(*, token: str):
    """The draft release a token names; PreviewTokenError, or Revision.DoesNotExist when the
    revision is gone or does not belong to a release of that id."""
    payload = preview_token_read(token=token)
    revision = Revision.page_revisions.get(pk=payload["revision"], object_id=str(payload["page"]))
    if revision.content_type.model_class() is not PressReleasePage:
        raise Revision.DoesNotExist
    return revision.as_object()


class PreviewQuery(Schema):
    token: str | None = Field(
        None,
        max_length=1000,
        pattern=TEXT_PATTERN,
        description=gettext_lazy("The token from the preview address opened for the editor."),
    )
    content_type: str | None = Field(
        None,
        max_length=100,
        pattern=TEXT_PATTERN,
        description=format_lazy(
            gettext_lazy("Page type from the preview address ({content_type})."),
            content_type=CONTENT_TYPE,
        ),
    )


def _problem(*, status: int, title: str, detail: str, parameter: str | None = None) -> HttpResponse:
    response = problem_response(status=status, title=title, detail=detail, parameter=parameter)
    for name, value in PREVIEW_HEADERS.items():
        response[name] = value
    return response


def preview_release(
    request: HttpRequest, response: HttpResponse, query: Query[PreviewQuery]
) -> Any:
    if query.content_type and query.content_type != CONTENT_TYPE:
        return _problem(
            status=404,
            title=_("Not Found"),
            detail=_("There is no preview for this page type."),
            parameter="content_type",
        )
    try:
        release = preview_release_for(token=query.token or "")
    except PreviewTokenError as error:
        return _problem(status=401, title=_("Unauthorized"), detail=str(error), parameter="token")
    except Revision.DoesNotExist:
        return _problem(status=404, title=_("Not Found"), detail=_("This draft no longer exists."))
    for name, value in PREVIEW_HEADERS.items():
        response[name] = value
    return release_serialize(release=release, request=request)


def preview_register(*, api: NinjaAPI) -> None:
    """Add `GET /preview` to the press API. Called where the API is defined, before its
    catch-all route: ninja matches operations in the order they are registered."""
    api.api_operation(
        ["GET", "HEAD"],
        "/preview",
        response={200: Release, 404: Problem},
        # 401 is added here rather than in `response` so that it is documented with the
        # media type it really has: ninja would document it as application/json.
        openapi_extra={
            "responses": {
                "401": {
                    "description": gettext_lazy("Token missing, forged or expired."),
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            }
        },
        operation_id="preview_release",
        summary=gettext_lazy("Draft of a press release for the preview"),
        description=gettext_lazy(
            "Returns the draft a valid, unexpired preview token names (never cached, never "
            "indexed). 401 for a missing, forged or expired token, 404 when the draft no longer "
            "exists."
        ),
        tags=[gettext_lazy("Preview")],
    )(preview_release)
