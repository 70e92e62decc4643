"""A release as IPTC ninjs 3.1 (News in JSON), the format news desks' systems ingest.

Made from what the press API serves (the stored document's release object and its text
version), so ninjs shows exactly what the other channels show. Mapping:

- `headlines`: the title; `descriptions`: the lead (role "summary");
- `bodies`: the body as HTML (paragraphs, quotes as `<blockquote>`, photos as `<figure>`) and
  as the plain-text version;
- `people`: the press contact (`rel` "contact", e-mail and phone as `contactInfo`) and each
  person quoted (`rel` "quoted", the role as the free-text `literal`);
- `associations`: each photo as a `picture` with its renditions, caption, `by` and
  `copyrightNotice` (the ©credit) and `usageTerms` (PRESS["PHOTO_USAGE_TERMS"]);
- `renditions`: the release page (HTML) and its text version;
- `pubStatus` "usable", `embargoedUntil` for an embargo reading, `versionCreated` the last
  publication, `edNote` the correction notes;
- `subjects`: each topic (`rel` "topic") and each tag (`rel` "keyword"), with its name and its
  slug as the `literal` code. ninjs 3 has no `keywords` array any more (1.x and 2.x had one;
  the 3.1 schema refuses it), so tags are subjects too, told apart by `rel`.
"""

import datetime
import json
import mimetypes

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .conf import press_setting

LONG_DATE = "long date of a press release"  # the msgctxt of press.documents.release_long_date
NINJS_MEDIA_TYPE = "application/ninjs+json; charset=utf-8"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"  # for the Link header


def iso(moment) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def ninjs_response(item: dict) -> HttpResponse:
    """A ninjs object as the answer, with the schema it follows named in a Link header."""
    response = HttpResponse(
        json.dumps(item, ensure_ascii=False, cls=DjangoJSONEncoder), content_type=NINJS_MEDIA_TYPE
    )
    response["Link"] = f'<{NINJS_SCHEMA}>; rel="describedby"'
    return response


def as_date(value) -> datetime.date:
    """A date from the stored JSON (ISO text) or from a release object being built."""
    return value if isinstance(value, datetime.date) else parse_date(value)


def photo_association(photo: dict, *, number: int) -> dict:
    image = photo["image"]
    renditions = [
        {
            "name": "original",
            "href": image["url"],
            "contentType": mimetypes.guess_type(image["file_name"])[0] or "image/jpeg",
            "width": image["width"],
            "height": image["height"],
        },
        *(
            {
                "name": f"w{rendition['width']}",
                "href": rendition["url"],
                "contentType": mimetypes.guess_type(rendition["url"])[0] or "image/jpeg",
                "width": rendition["width"],
                "height": rendition["height"],
            }
            for rendition in image["renditions"]
        ),
    ]
    association = {
        "name": f"photo{number}",
        "uri": image["url"],
        "type": "picture",
        "rel": "photo",
        "renditions": renditions,
        "copyrightNotice": f"©{photo['credit']}",
        "by": photo["credit"],
        "usageTerms": str(press_setting("PHOTO_USAGE_TERMS")),
    }
    if photo["caption"]:
        association["descriptions"] = [{"role": "caption", "value": photo["caption"]}]
    if photo["alt"]:
        association.setdefault("descriptions", []).append(
            {"role": "alternative", "value": photo["alt"]}
        )
    return association


def release_subjects(release: dict) -> list[dict]:
    """Topics and tags as ninjs subjects: the office's own vocabulary, so no IPTC uri; the
    slug is the code a desk's system matches on, the name what it shows."""
    return [
        *(
            {"name": topic["name"], "rel": "topic", "literal": topic["slug"]}
            for topic in release.get("topics") or []
        ),
        *(
            {"name": tag["name"], "rel": "keyword", "literal": tag["slug"]}
            for tag in release.get("tags") or []
        ),
    ]


def release_ninjs(
    release: dict,
    *,
    text: str,
    language: str,
    office_name: str,
    version: str,
    embargoed_until: datetime.datetime | None = None,
    translations: list[dict] | None = None,
) -> dict:
    """The ninjs 3.1 object of a press API release object (see the module's mapping).

    `translations`: the release's other visible versions ({language, title, url}), linked as
    associations with `rel` "translation" and their `language`."""
    body = release["body"]
    people = []
    contact = release.get("contact")
    if contact and contact.get("name"):
        contact_info = [
            {"type": kind, "role": "office", "value": contact[key]}
            for kind, key in (("email", "email"), ("phone", "phone"))
            if contact.get(key)
        ]
        people.append({"name": contact["name"], "rel": "contact", "contactInfo": contact_info})
    quoted = set()
    for block in body:
        if block["type"] != "quote" or not block["value"]["name"]:
            continue
        key = (block["value"]["name"], block["value"]["role"])
        if key in quoted:
            continue
        quoted.add(key)
        person = {"name": key[0], "rel": "quoted"}
        if key[1]:
            person["literal"] = key[1]
        people.append(person)

    item = {
        "uri": release["html_url"],
        "type": "text",
        "profile": "press-release",
        "version": version,
        "firstCreated": iso(release.get("first_published_at")),
        "versionCreated": iso(release.get("last_published_at")) or iso(timezone.now()),
        "pubStatus": "usable",
        "embargoedUntil": iso(embargoed_until),
        "edNote": "\n".join(
            _("Correction of %(date)s:")
            % {"date": date_format(as_date(note["date"]), pgettext(LONG_DATE, "F j, Y"))}
            + " "
            + note["text"]
            for note in release.get("corrections") or []
        )
        or None,
        "language": language,
        "copyrightHolder": office_name,
        "copyrightNotice": f"©{office_name}",
        "headlines": [{"role": "main", "value": release["title"]}],
        "descriptions": (
            [{"role": "summary", "contentType": "text/plain", "value": release["lead"]}]
            if release.get("lead")
            else None
        ),
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": render_to_string("press/ninjs/body.html", {"body": body}).strip(),
            },
            {"role": "main", "contentType": "text/plain", "value": text},
        ],
        "people": people or None,
        "subjects": release_subjects(release) or None,
        "associations": [
            *(
                photo_association(photo, number=number)
                for number, photo in enumerate(release.get("photos") or [], start=1)
            ),
            *(
                {
                    "name": f"translation-{version['language']}",
                    "uri": version["url"],
                    "type": "text",
                    "rel": "translation",
                    "language": version["language"],
                    "headlines": [{"role": "main", "value": version["title"]}],
                }
                for version in translations or []
            ),
        ]
        or None,
        "renditions": [
            {"name": "web", "href": release["html_url"], "contentType": "text/html"},
            {"name": "text", "href": release["text_url"], "contentType": "text/plain"},
        ],
    }
    return {key: value for key, value in item.items() if value is not None}
