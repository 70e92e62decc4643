"""What a release's page head and feed item say about it: description, photos, OpenGraph and
the JSON-LD `NewsArticle` — built from the same block data as every other channel
(`release_body_data`), so a photo's caption and ©credit read the same everywhere."""

from django.utils.text import Truncator

from .serializers import office_settings_for, release_body_data

DESCRIPTION_LENGTH = 200


def release_description(*, release, body: list[dict]) -> str:
    """What a search result or a shared link shows: the editor's description, else the lead,
    else the first paragraph."""
    text = release.search_description or release.lead
    if not text:
        text = next((block["value"]["text"] for block in body if block["type"] == "paragraph"), "")
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


def release_photos(*, body: list[dict]) -> list[dict]:
    return [
        block["value"] for block in body if block["type"] == "image" and block["value"]["image"]
    ]


def photo_og_rendition(photo: dict) -> dict:
    """The largest sized rendition (a JPEG/PNG of a sensible size), else the original."""
    image = photo["image"]
    if image["renditions"]:
        return image["renditions"][-1]
    return {"url": image["url"], "width": image["width"], "height": image["height"]}


def release_json_ld(
    *, release, url: str, description: str, photos: list[dict], office_name: str
) -> dict:
    office = {"@type": "Organization", "name": office_name}
    modified = release.last_published_at or release.latest_revision_created_at
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "de",
        "datePublished": release.release_date.isoformat(),
        "dateModified": modified.isoformat() if modified else release.release_date.isoformat(),
        "author": office,
        "publisher": office,
        "image": [
            {
                "@type": "ImageObject",
                "contentUrl": photo["image"]["url"],
                "url": photo["image"]["url"],
                "width": photo["image"]["width"],
                "height": photo["image"]["height"],
                "caption": photo["caption"],
                "creditText": photo["credit"],
                "copyrightNotice": f"© {photo['credit']}",
            }
            for photo in photos
        ],
    }


def release_meta_for(*, release, request=None) -> dict:
    """Everything the page head says about a release: description, canonical address,
    OpenGraph image and the JSON-LD `NewsArticle`."""
    body = release_body_data(release=release, request=request)
    office = office_settings_for(release=release, request=request)
    url = release.get_full_url(request)
    description = release_description(release=release, body=body)
    photos = release_photos(body=body)
    og_image = None
    if photos:
        og_image = {**photo_og_rendition(photos[0]), "alt": photos[0]["alt"]}
    return {
        "description": description,
        "canonical_url": url,
        "og_image": og_image,
        "site_name": f"{office.service_name} – {office.office_name}",
        "photos": photos,
        "download_sentence": office.download_sentence,
        "json_ld": release_json_ld(
            release=release,
            url=url,
            description=description,
            photos=photos,
            office_name=office.office_name,
        ),
    }
