"""Photo uploads: refuse files whose pixels do not decode, in the admin and in the importer alike.

Wagtail's WagtailImageField checks format, size, pixel count and decompression bombs from the
header only: a file cut short passes, or makes Pillow raise a bare OSError inside the form
(a 500), and a photo that got in breaks every rendition later. A full decode here turns both
into a form error an editor can read.

Before that decode, the plugin's own pixel limit (PRESS["IMAGE_MAX_PIXELS"], read from the
header) refuses photos that Wagtail's and Pillow's far higher limits let through but whose
renditions cost seconds and gigabytes.
"""

from io import BytesIO

from django import forms
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .conf import press_setting
from .validators import control_characters_refuse

DAMAGED_MESSAGE = _("Damaged or incomplete image file: it cannot be read in full.")


def image_content_check(*, content: bytes) -> None:
    """Raise ValidationError unless every pixel of the image decodes."""
    try:
        with PILImage.open(BytesIO(content)) as image:
            image.verify()
        with PILImage.open(BytesIO(content)) as image:
            image.load()
    except PILImage.DecompressionBombError as error:
        raise ValidationError(str(error), code="file_too_many_pixels") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(DAMAGED_MESSAGE, code="invalid_image") from error


def image_pixels_check(*, width_height: tuple[int, int]) -> None:
    """Raise ValidationError when the image has more pixels than PRESS["IMAGE_MAX_PIXELS"]."""
    limit = press_setting("IMAGE_MAX_PIXELS")
    width, height = width_height
    if limit is not None and width * height > limit:
        raise ValidationError(
            _(
                "The photo has %(width)s by %(height)s pixels (%(megapixels)s megapixels); at most "
                "%(max)s megapixels are accepted. Please scale it down before uploading."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": number_format(width * height / 1e6, 1),
                "max": number_format(limit / 1e6, 0 if limit % 1_000_000 == 0 else 1),
            },
            code="file_too_many_pixels",
        )


class PressImageField(WagtailImageField):
    def to_python(self, data):
        try:
            f = super().to_python(data)
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(DAMAGED_MESSAGE, code="invalid_image") from error
        if f is None or f.content_type == "image/svg+xml":
            return f
        # Wagtail's WAGTAILIMAGES_MAX_IMAGE_PIXELS (and Pillow's bomb check at twice its own
        # limit) only stops what is far too large; the plugin's limit is what renditions can
        # afford. Read from the header, before a single pixel is decoded.
        image_pixels_check(width_height=f.image.get_size())
        f.seek(0)
        image_content_check(content=f.read())
        f.seek(0)
        return f


RIGHTS_FIELDS = ("credit", "licence", "rights_end")


class PressImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE for sites running the plugin: the upload checks above, and
    the photo's rights (press.PhotoRights: credit, licence, rights end) on every image form —
    add, edit, the chooser's upload and each photo of the multiple uploader.

    The credit is required, so uploading asks for it: Wagtail's multiple uploader then keeps
    the file aside and shows the photo's form until the credit is given (its path for a
    required field), instead of creating a photo without one. The rights are saved in the
    transaction that saves the image."""

    credit = forms.CharField(
        label=_("Credit (©)"),
        max_length=200,
        validators=[control_characters_refuse],
        help_text=_("e.g. City press office/Jane Doe"),
    )
    licence = forms.CharField(
        label=_("Licence / terms of use"),
        required=False,
        validators=[control_characters_refuse],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rights_end = forms.DateTimeField(
        label=_("Rights end"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_(
            "From this moment the photo is removed from every public release; empty: no end."
        ),
    )

    # The rights right after the file, before Wagtail's description, collection and tags.
    field_order = ["title", "file", "credit", "licence", "rights_end", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].help_text = _(
                "The photo's alternative text for screen readers, used wherever a release does "
                "not give its own."
            )
        if "file" in self.fields:
            old = self.fields["file"]
            field = PressImageField(required=old.required, label=old.label, help_text=old.help_text)
            field.widget = old.widget
            self.fields["file"] = field
        if "title" not in self.fields:
            # A partial update (Wagtail's API form for some fields only) leaves the rights alone.
            for name in RIGHTS_FIELDS:
                del self.fields[name]
            return
        rights = self.photo_rights
        if rights is not None:
            for name in RIGHTS_FIELDS:
                self.initial.setdefault(name, getattr(rights, name))

    @property
    def photo_rights(self):
        if self.instance.pk is None:
            return None
        try:
            return self.instance.photo_rights
        except ObjectDoesNotExist:
            return None

    def save(self, commit=True):
        if "credit" not in self.fields:
            return super().save(commit=commit)
        if not commit:
            # save(commit=False) callers (Wagtail's multiple uploader) save the image
            # themselves, then call the form's save_m2m() (which Django adds to the form for
            # them): the rights follow there.
            image = super().save(commit=False)
            save_m2m = self.save_m2m

            def save_m2m_and_rights():
                save_m2m()
                if self.instance.pk:
                    self.photo_rights_save(image=self.instance)

            self.save_m2m = save_m2m_and_rights
            return image
        with transaction.atomic():
            image = super().save(commit=True)
            # Saving the rights indexes the image again with its credit (press.publishing).
            self.photo_rights_save(image=image)
        return image

    def photo_rights_save(self, *, image) -> None:
        rights_model = apps.get_model("press", "PhotoRights")  # models sit above this module
        rights = self.photo_rights or rights_model(image=image)
        ended_before = rights.rights_end
        rights.credit = self.cleaned_data.get("credit") or ""
        rights.licence = self.cleaned_data.get("licence") or ""
        rights.rights_end = self.cleaned_data.get("rights_end")
        if rights.rights_end != ended_before:
            # A new (or no) rights end: the scheduled job carries it out when it comes.
            rights.expiry_handled_at = None
        rights.save()
