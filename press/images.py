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

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .conf import press_setting

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


class PressImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE for sites running the plugin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            old = self.fields["file"]
            field = PressImageField(required=old.required, label=old.label, help_text=old.help_text)
            field.widget = old.widget
            self.fields["file"] = field
