"""A press photo's rights, kept at the photo rather than typed at each use: the credit (©), the
licence or terms of use and the date the rights end.

One row per image, one-to-one with whatever image model the site uses (Wagtail's default
`wagtailimages.Image` on an adopting site): the plugin never requires a custom image model. The
alternative text is Wagtail's own `Image.description`, which Wagtail already offers as an
image's default alt text (`AbstractImage.default_alt_text`).
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model, get_image_model_string
from wagtail.search import index

from ..validators import control_characters_refuse


class PhotoRightsQuerySet(models.QuerySet):
    def expired(self, *, now: datetime.datetime | None = None):
        return self.filter(rights_end__lte=now or timezone.now())


class PhotoRights(models.Model):
    image = models.OneToOneField(
        get_image_model_string(),
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="photo_rights",
    )
    credit = models.CharField(
        _("credit (©)"),
        max_length=200,
        blank=True,
        validators=[control_characters_refuse],
        help_text=_("e.g. City press office/Jane Doe"),
    )
    licence = models.TextField(
        _("licence / terms of use"),
        blank=True,
        validators=[control_characters_refuse],
    )
    rights_end = models.DateTimeField(
        _("rights end"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "From this moment the photo is removed from every public release; empty: no end."
        ),
    )
    # When the photo's expiry was carried out (documents rebuilt, caches purged, webhooks
    # sent): the scheduled job handles each ended right once; a new rights end resets it.
    expiry_handled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PhotoRightsQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo rights")
        verbose_name_plural = _("photo rights")

    def __str__(self) -> str:
        return self.credit

    def is_expired(self, *, now: datetime.datetime | None = None) -> bool:
        return self.rights_end is not None and self.rights_end <= (now or timezone.now())


def image_search_fields_extend() -> None:
    """Index each photo's credit with the image, so the admin's image listing (and chooser)
    finds photos by credit. Wagtail searches images by their model's `search_fields`; the site's
    image model is not the plugin's to define (an adopting site keeps Wagtail's default), so the
    credit is added to it here, once, as a related field. The image form re-indexes the image
    after saving its rights."""
    image_model = get_image_model()
    if any(
        getattr(field, "field_name", None) == "photo_rights" for field in image_model.search_fields
    ):
        return
    image_model.search_fields = [
        *image_model.search_fields,
        index.RelatedFields(
            "photo_rights", [index.SearchField("credit"), index.AutocompleteField("credit")]
        ),
    ]
