"""The release body's blocks. Each block turns its value into data exactly once
(`get_api_representation`); templates, API v2, the press API, the text version and the
feeds all read that data."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from .a11y_checks import looks_like_file_name, photo_alt_text, photo_findings
from .addresses import base_url
from .conf import press_setting
from .text import html_to_text
from .validators import control_characters_refuse

# What the importer makes of the archive's Markdown (press.importer.parse) is what an editor
# can make here: headings, lists, emphasis, links, sub-/superscript (line breaks always).
PARAGRAPH_FEATURES = [
    "h2", "h3", "bold", "italic", "link", "ol", "ul", "subscript", "superscript",
]  # fmt: skip
QUOTE_FEATURES = ["bold", "italic", "link", "subscript", "superscript"]


def absolute_url(url: str, *, request=None, base: str | None = None) -> str:
    """`url` as an absolute address (the rule is in press.addresses): as it is when it is one (media
    on a CDN), else below `base` (the release's site root, or a preview's request root), else
    below the root of the site the request is for."""
    if url.startswith(("http://", "https://")):
        return url
    return (base or base_url(request)) + url


# The download sizes each press photo offers besides the original (generated with the
# document at publish time, like the srcset renditions): the long side, JPEG quality high.
DOWNLOAD_SPECS = {
    "print": "max-3000x3000|format-jpeg|jpegquality-90",
    "web": "max-1200x1200|format-jpeg|jpegquality-85",
}


def photo_size_spec(*, size: str, image_width: int) -> str | None:
    """The rendition filter behind a size name of a checked photo address: a download's kind
    ("print", "web"), or a width the photo's data offers (`image_data`: each configured width,
    or the photo's own width where it is narrower, as no rendition is upscaled). None for any
    other name."""
    if size in DOWNLOAD_SPECS:
        return DOWNLOAD_SPECS[size]
    # One name per size: ASCII digits, no leading zero ("0800" or fullwidth digits name none).
    if not (size.isascii() and size.isdigit()) or str(int(size)) != size:
        return None
    width = int(size)
    for configured in press_setting("IMAGE_WIDTHS"):
        if min(configured, image_width) == width:
            return f"width-{configured}"
    return None


def image_rights(image):
    """The photo's rights (press.PhotoRights), or None for a photo that has none. Read through
    the reverse one-to-one, so this module needs no model import."""
    if image is None:
        return None
    try:
        return image.photo_rights
    except ObjectDoesNotExist:
        return None


def image_rights_expired(image, *, now: datetime.datetime | None = None) -> bool:
    rights = image_rights(image)
    return bool(rights and rights.rights_end and rights.rights_end <= (now or timezone.now()))


def image_file_name(image) -> str:
    return image.file.name.rsplit("/", 1)[-1]


def image_original_url(image, *, request=None, base: str | None = None) -> str:
    """Where the original is downloaded: the plugin's view, which serves it only while a
    visible page shows the photo. Never the storage's own address: originals are private.
    (The embargo views add their link's token to it: press.views.)"""
    path = reverse("press_photo_original", args=[image.pk, image_file_name(image)])
    return absolute_url(path, request=request, base=base)


def image_data(
    image, *, request=None, widths=None, renditions: bool = True, base: str | None = None
) -> dict:
    """An image as a frontend needs it: the original and sized renditions, never a bare id.

    `renditions=False`: the original only (the text version links the original; an archive
    export should not look up every photo's renditions)."""
    widths = (widths or press_setting("IMAGE_WIDTHS")) if renditions else []
    specs = [f"width-{w}" for w in widths]
    renditions = image.get_renditions(*specs)
    seen: set[int] = set()
    sized = []
    downloads = []
    if widths:  # with the renditions, the download sizes: never made on a reader's request
        made = image.get_renditions(*DOWNLOAD_SPECS.values())
        for kind, spec in DOWNLOAD_SPECS.items():
            rendition = made[spec]
            downloads.append(
                {
                    "kind": kind,
                    "url": absolute_url(rendition.url, request=request, base=base),
                    "width": rendition.width,
                    "height": rendition.height,
                }
            )
    for spec in specs:
        rendition = renditions[spec]
        if rendition.width in seen:  # no upscaling: small originals repeat widths
            continue
        seen.add(rendition.width)
        sized.append(
            {
                "url": absolute_url(rendition.url, request=request, base=base),
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    return {
        "id": image.pk,
        "title": image.title,
        "url": image_original_url(image, request=request, base=base),
        "width": image.width,
        "height": image.height,
        "file_name": image_file_name(image),
        "renditions": sized,
        "downloads": downloads,
    }


def rich_text_html(value) -> str:
    source = value.source if isinstance(value, RichText) else (value or "")
    return expand_db_html(source)


class PlainTextFieldsMixin:
    """A struct block whose one-line text fields (`plain_text_fields`) refuse control
    characters, with the error at the field in the editor (and in the importer's report)."""

    plain_text_fields: tuple[str, ...] = ()

    def clean(self, value):
        errors = {}
        for name in self.plain_text_fields:
            try:
                control_characters_refuse(value.get(name))
            except ValidationError as error:
                errors[name] = error
        try:
            cleaned = super().clean(value)
        except blocks.StructBlockValidationError as error:
            raise blocks.StructBlockValidationError(
                {**errors, **error.block_errors}, error.non_block_errors
            ) from error
        if errors:
            raise blocks.StructBlockValidationError(errors)
        return cleaned


class DataTemplateMixin:
    """Hands the block's data (its API representation) to its template as `data`."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = self.get_api_representation(value, context=parent_context)
        return context


class ParagraphBlock(DataTemplateMixin, blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        html = rich_text_html(value)
        return {"html": html, "text": html_to_text(html)}

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "press/blocks/paragraph.html"
        description = _(
            "Body text with subheadings, emphasis, links, lists, superscript and subscript."
        )

    def get_preview_value(self):
        # Sample content in the editor's language, for the block picker's preview.
        text = _(
            "At the start of the year the steering committee met at the town hall. "
            "CO<sub>2</sub> emissions fell by <b>33 percent</b>."
        )
        return RichText(f"<p>{text}</p>")


class QuoteBlock(PlainTextFieldsMixin, DataTemplateMixin, blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Quote"), features=QUOTE_FEATURES)
    name = blocks.CharBlock(label=_("Name"), max_length=200, help_text=_("e.g. Dr. Jane Smith"))
    role = blocks.CharBlock(
        label=_("Role"), max_length=200, required=False, help_text=_("e.g. Mayor")
    )

    plain_text_fields = ("name", "role")

    def get_api_representation(self, value, context=None):
        html = rich_text_html(value["text"])
        return {
            "text": html,
            "text_plain": html_to_text(html),
            "name": value["name"],
            "role": value["role"] or "",
        }

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "press/blocks/quote.html"
        description = _("A quote with the name and role of the person quoted.")

    def get_preview_value(self):
        text = _("We are joining forces for industry in our city.")
        return self.normalize(
            {
                "text": RichText(f"<p>{text}</p>"),
                "name": str(_("Dr. Jane Smith")),
                "role": str(_("Mayor")),
            }
        )


def photo_alt(value, *, credit: str = "") -> str:
    """The alternative text an image block's photo is shown with, in every channel: the block's
    own, else the photo's description (Wagtail's, as Image.default_alt_text reads it), else the
    caption; never a file name (press.a11y_checks). A press photo carries meaning, so never
    empty either: a photo published before the checks existed, with none of them, is named as
    a press photo with its credit — what a sighted reader learns from it, too."""
    image = value["image"]
    alt = photo_alt_text(
        alt=value["alt"], description=image.description if image else "", caption=value["caption"]
    )
    if alt or image is None:
        return alt
    if image.title and not looks_like_file_name(image.title):
        return image.title
    return f"{gettext('Press photo')} ©{credit}" if credit else gettext("Press photo")


class ImageWithCreditBlock(PlainTextFieldsMixin, DataTemplateMixin, blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)
    credit = blocks.CharBlock(
        label=_("Credit (©)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the photo's credit from the image library. Needed in one of the two."),
    )
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=500,
        help_text=_(
            "Describes the image for screen readers; empty: the photo's description, else "
            "the caption."
        ),
    )

    plain_text_fields = ("caption", "credit", "alt")

    def clean(self, value):
        cleaned = super().clean(value)
        if getattr(self, "is_deferred_validation", False):
            return cleaned  # a draft may be saved without credit or alt text; publishing may not
        image = cleaned["image"]
        if image is None:
            return cleaned
        errors = {}
        rights = image_rights(image)
        if not (cleaned["credit"] or (rights and rights.credit)):
            # Neither this use nor the photo names the credit: a press photo cannot be published
            # without it.
            errors["credit"] = ValidationError(
                _(
                    "Required: a press photo cannot be published without its credit. "
                    "Enter it here or at the photo in the image library."
                ),
                code="required",
            )
        # A press photo always carries meaning (BITV 2.0): without a usable alternative text,
        # or with a file name as one, it is not published (press.a11y_checks).
        serious = [
            finding
            for finding in photo_findings(
                alt=cleaned["alt"], description=image.description, caption=cleaned["caption"]
            )
            if finding.serious
        ]
        if serious:
            errors["alt"] = ValidationError(
                [str(finding.message) for finding in serious], code="accessibility"
            )
        if errors:
            raise blocks.StructBlockValidationError(errors)
        return cleaned

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        renditions = (context or {}).get("renditions", True)
        image = value["image"]
        base = (context or {}).get("base_url")
        rights = image_rights(image)
        data = (
            image_data(image, request=request, renditions=renditions, base=base) if image else None
        )
        credit = value["credit"] or (rights.credit if rights else "")
        return {
            "caption": value["caption"] or "",
            "credit": credit,
            "alt": photo_alt(value, credit=credit),
            "licence": rights.licence if rights else "",
            "rights_end": rights.rights_end if rights else None,
            "image": data,
        }

    def get_searchable_content(self, value):
        """Caption, credit and alternative text for the search index. Credits name agency and
        photographer with a slash ("Stadt Düsseldorf/David Young"), which PostgreSQL's parser
        reads as one file-path token: spaced out, each name is a word of its own."""
        texts = [value["caption"], value["credit"].replace("/", " / "), value["alt"]]
        return [text for text in texts if text]

    def get_preview_value(self):
        image = get_image_model().objects.order_by("-pk").first()
        return {
            "image": image,
            "caption": str(_("The steering committee at the town hall")),
            "credit": str(_("City press office/Jane Doe")),
            "alt": "",
        }

    class Meta:
        icon = "image"
        label = _("Image with credit")
        template = "press/blocks/image.html"
        description = _("A press photo with caption, ©credit and alternative text.")
        # The credit and alt fields show the library photo's as their placeholder: what the
        # release uses while they stay empty (press/static/press/admin/photo-placeholders.js).
        form_attrs = {"data-controller": "press-photo-placeholders"}


class PressBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageWithCreditBlock()

    def get_api_representation(self, value, context=None):
        """The blocks as data, without the photos whose rights have ended: such a photo leaves
        every channel that reads this data (all of them), caption and credit with it."""
        if value is None:
            return []
        now = timezone.now()
        # Left out before they are turned into data, so no rendition is made for them.
        return [
            {
                "type": child.block.name,
                "value": child.block.get_api_representation(child.value, context=context),
                "id": child.id,
            }
            for child in value
            if not (
                child.block_type == "image" and image_rights_expired(child.value["image"], now=now)
            )
        ]


def body_check_data(body) -> list[dict]:
    """A body (StreamValue) as press.a11y_checks.body_findings reads it: the editor's own
    entries (the block's alternative text as typed, the photo's description), not the
    resolved values the channels show."""
    data = []
    for child in body or []:
        value = child.value
        if child.block_type == "paragraph":
            checked = {"html": rich_text_html(value)}
        elif child.block_type == "quote":
            checked = {"text": rich_text_html(value["text"]), "name": value["name"] or ""}
        elif child.block_type == "image":
            image = value["image"]
            checked = {
                "image": image is not None,
                "alt": value["alt"] or "",
                "description": image.description if image else "",
                "caption": value["caption"] or "",
            }
        else:  # a block type a site added: not ours to judge
            continue
        data.append({"type": child.block_type, "id": child.id or "", "value": checked})
    return data
