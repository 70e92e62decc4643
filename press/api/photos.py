"""Photos on request: a frontend asks for one of the allowed renditions of a public photo
(`GET /api/press/photos/{id}/{filter}` → 302 to the rendition's file), e.g. a 16:9 card cropped
around the focal point the editor set. Only PRESS["IMAGE_FILTERS"] are made, and only for photos
a visible release shows (press.models.images_visible): a draft's photo, one whose rights have
ended or one no release uses is a 404 like a photo that does not exist.
"""

from typing import Literal

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Path

from ..blocks import absolute_url
from ..conf import press_setting
from ..http import problem_response
from ..models import images_visible
from .schemas import MAX_DB_INT, Problem

PHOTO_ID = Path(..., ge=1, le=MAX_DB_INT, description=gettext_lazy("The photo's id."))
PHOTO_FILTER = Path(
    ...,
    description=gettext_lazy(
        "The size: width-N keeps the proportions, fill-WxH crops around the focal point."
    ),
)


def photo_rendition_redirect(*, request: HttpRequest, id: int, filter: str):
    image = images_visible().filter(pk=id).first()
    if image is None:
        return problem_response(
            status=404, title=_("Not Found"), detail=_("There is no public photo with this id.")
        )
    rendition = image.get_rendition(filter)
    return HttpResponseRedirect(absolute_url(rendition.url, request=request))


def photos_register(*, api: NinjaAPI) -> None:
    """Add `GET /photos/{id}/{filter}` to the press API."""
    # The allowed sizes as the path parameter's type: the document lists them (an enum), and
    # any other is a 400 naming them.
    photo_filter = Literal[tuple(press_setting("IMAGE_FILTERS"))]

    def photo_rendition(
        request: HttpRequest,
        id: int = PHOTO_ID,
        filter: photo_filter = PHOTO_FILTER,
    ):
        return photo_rendition_redirect(request=request, id=id, filter=filter)

    api.api_operation(
        ["GET", "HEAD"],
        "/photos/{int:id}/{filter}",
        response={404: Problem},
        openapi_extra={
            "responses": {
                "302": {
                    "description": gettext_lazy("The rendition's file."),
                    "headers": {
                        "Location": {
                            "description": gettext_lazy("Absolute address of the file."),
                            "schema": {"type": "string"},
                        }
                    },
                }
            },
        },
        operation_id="photos_rendition",
        summary=gettext_lazy("A public photo in one of the allowed sizes"),
        description=gettext_lazy(
            "Redirects to the photo in the size asked for (one of PRESS['IMAGE_FILTERS']), "
            "made on the first request. 404 for a photo no published release shows."
        ),
        tags=[gettext_lazy("Photos")],
    )(photo_rendition)
