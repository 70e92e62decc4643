"""Template filters of the press plugin: a release's long date and escaped JSON-LD."""

import datetime
import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..addresses import base_url
from ..blocks import image_rights, image_rights_expired
from ..documents import release_long_date
from ..text import german_long_date

register = template.Library()

# The characters that could end a <script> element or open a comment inside it; escaped as
# JSON unicode escapes they stay the same data for every JSON parser.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def long_date(value: datetime.date | str | None) -> str:
    """The release date written out in the active language (`07. Februar 2023`, `February 7,
    2023`); also from a stored document's ISO date ("2023-02-07"), as the mails read it."""
    if isinstance(value, str) and value:
        value = datetime.date.fromisoformat(value)
    return release_long_date(value)


@register.filter
def german_date(value: datetime.date | None) -> str:
    """`07. Februar 2023` whatever the active locale: the press office's own date form."""
    if not value:
        return ""
    return german_long_date(value)


@register.filter
def json_ld(data: Any) -> SafeString:
    """`data` as a `<script type="application/ld+json">` that no string inside can break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(JSON_SCRIPT_ESCAPES)),  # safe: escaped just above
    )


@register.filter
def site_relative(url: str, base: str | None = None) -> str:
    """An absolute address below `base` (the root a release document was built with) as a
    path, so that a page shows its photos whatever address it is reached at (a preview on
    another port, a proxy); addresses on other hosts (a CDN) stay as they are."""
    base = (base or base_url()).rstrip("/")
    if base and url and url.startswith(base + "/"):
        return url[len(base) :]
    return url


@register.simple_tag
def photo_rights_for(image) -> dict:
    """What the admin's image listing shows of a photo's rights: credit, rights end, expired."""
    rights = image_rights(image)
    return {
        "credit": rights.credit if rights else "",
        "rights_end": rights.rights_end if rights else None,
        "expired": image_rights_expired(image),
    }
