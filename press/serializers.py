"""A release as data: the one serialisation every channel reads (API v2, press API, text)."""

from rest_framework import serializers
from wagtail.models import Site

from .snippets import PressSettings


class ContactAPIField(serializers.Field):
    """API v2: the contact as {name, email, phone}, never as an id."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, contact):
        return contact.as_data() if contact else None


def release_body_data(*, release, request=None, renditions: bool = True) -> list[dict]:
    """The body as [{type, id, value}] where value is each block's API representation.

    `renditions=False` leaves out the photos' renditions (the text version needs originals)."""
    context = {"request": request} if request is not None else {}
    if not renditions:
        context["renditions"] = False
    return list(release.body.stream_block.get_api_representation(release.body, context=context))


def office_settings_for(*, release=None, request=None) -> PressSettings:
    site = None
    if request is not None:
        site = Site.find_for_request(request)
    if site is None and release is not None:
        site = release.get_site()
    if site is None:
        return PressSettings(
            office_name=PressSettings._meta.get_field("office_name").default,
            service_name=PressSettings._meta.get_field("service_name").default,
            download_sentence=PressSettings._meta.get_field("download_sentence").default,
        )
    return PressSettings.for_site(site)


def release_serialize(*, release, request=None) -> dict:
    """Everything a frontend shows of a release, with absolute addresses."""
    body = release_body_data(release=release, request=request)
    photos = [
        block["value"] for block in body if block["type"] == "image" and block["value"]["image"]
    ]
    return {
        "id": release.pk,
        "title": release.title,
        "slug": release.slug,
        "release_date": release.release_date,
        "lead": release.lead,
        "body": body,
        "contact": release.contact.as_data() if release.contact_id else None,
        "html_url": release.get_full_url(request),
        "text_url": release.text_url,
        "first_published_at": release.first_published_at,
        "last_published_at": release.last_published_at,
        "photos": photos,
    }


def release_render_text_for(*, release, request=None, office: PressSettings | None = None) -> str:
    """The plain-text version of a release, from the same block data as every other channel.

    `office`: the site's settings when the caller renders many releases (an archive export)
    and has looked them up once."""
    from .conf import press_setting
    from .text import release_render_text

    office = office or office_settings_for(release=release, request=request)
    body = []
    for block in release_body_data(release=release, request=request, renditions=False):
        value = dict(block["value"])
        if block["type"] == "image":
            value["url"] = value["image"]["url"] if value["image"] else ""
        body.append({"type": block["type"], "value": value})
    return release_render_text(
        title=release.title,
        release_date=release.release_date,
        lead=release.lead,
        body=body,
        contact=release.contact.as_data() if release.contact_id else None,
        office_name=office.office_name,
        service_name=office.service_name,
        download_sentence=office.download_sentence,
        text_url=release.text_url,
        width=press_setting("TEXT_WIDTH"),
    )
