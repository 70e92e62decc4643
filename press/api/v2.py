"""API v2 for the host's router: Wagtail's pages, images and documents endpoints, with
releases and their photos only as the visibility rule sees them.

A host mounts them on its own router, or uses the ready one:

    from press.api.v2 import api_router
    path("api/v2/", api_router.urls)
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageDownloadUrlField, ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from ..blocks import image_original_url
from ..models import PressReleasePage, images_visible


class PressPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, except that releases come only from the visibility selector.

    Listing, detail, `find` and the child_of/descendant_of filters all start from
    get_base_queryset, so this one override covers every way API v2 reaches a release.
    """

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        release_type = ContentType.objects.get_for_model(PressReleasePage)
        visible = PressReleasePage.objects.visible().values("pk")
        return queryset.filter(~Q(content_type=release_type) | Q(pk__in=visible))

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is PressReleasePage:
            # The body comes from the stored document (DocumentBodyField), in the same query.
            queryset = queryset.select_related("contact", "locale", "document").defer(
                "document__api_json", "document__text"
            )
        return queryset


class OriginalDownloadUrlField(ImageDownloadUrlField):
    """`download_url`: the plugin's original download view; the stored file is private."""

    def to_representation(self, image):
        return image_original_url(image, request=self.context.get("request"))


class PressImageSerializer(ImageSerializer):
    download_url = OriginalDownloadUrlField(read_only=True)


class PressImagesAPIViewSet(ImagesAPIViewSet):
    """Only images a visible page uses: a scheduled release's photos stay unlisted until it
    goes live (listing, detail and search alike)."""

    base_serializer_class = PressImageSerializer

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_visible().values("pk"))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PressPagesAPIViewSet)
api_router.register_endpoint("images", PressImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
