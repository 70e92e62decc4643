"""What a frontend developer's tools rely on: the OpenAPI document says exactly what is sent
(ninjs typed, only the headers really sent, the server named), dates are strict, timestamps
have one format, and a browser's conditional requests pass CORS."""

import datetime
import re

import pytest
from django.test import override_settings

from press.models import PhotoRights, ReleaseCorrection
from tests.factories import ImageFactory, PressReleasePageFactory, body_image, body_paragraph

ORIGIN = "https://presse.example"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def release(newsroom):
    release = PressReleasePageFactory(parent=newsroom, body=[body_paragraph("<p>Text.</p>")])
    release.save_revision().publish()
    return release


@pytest.fixture
def document(client, db):
    return client.get("/api/press/openapi.json").json()


@pytest.mark.parametrize("value", ["0", "1700000000", "2023-2-7", "2023-02-07T00:00:00"])
def test_a_date_that_is_not_yyyy_mm_dd_is_a_400(client, newsroom, value):
    answer = client.get("/api/press/releases", {"date_to": value})

    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert answer.json()["parameter"] == "date_to"


def test_timestamps_are_utc_with_seconds_and_z(client, release):
    listed = client.get("/api/press/releases").json()["results"][0]
    detail = client.get(f"/api/press/releases/{release.pk}").json()

    for answer in (listed, detail):
        assert TIMESTAMP.match(answer["first_published_at"]), answer["first_published_at"]
        assert TIMESTAMP.match(answer["last_published_at"]), answer["last_published_at"]


def test_ninjs_is_typed_with_the_iptc_schema(document):
    operation = document["paths"]["/api/press/releases/{id}/ninjs"]["get"]
    content = operation["responses"]["200"]["content"]
    schema = next(iter(content.values()))["schema"]

    assert schema["$ref"] == "#/components/schemas/Ninjs"
    ninjs = document["components"]["schemas"]["Ninjs"]
    assert "uri" in ninjs["required"]
    # Every reference inside resolves within the document.
    text = str(document["components"]["schemas"])
    for target in re.findall(r"#/components/schemas/(\w+)", text):
        assert target in document["components"]["schemas"], target


def test_only_headers_that_are_sent_are_documented(client, release, document):
    paths = document["paths"]
    listed = paths["/api/press/releases"]["get"]["responses"]["200"]["headers"]
    detail = paths["/api/press/releases/{id}"]["get"]["responses"]["200"]["headers"]

    assert set(listed) == {"ETag", "Cache-Control"}
    assert set(detail) == {"ETag", "Last-Modified", "Cache-Control"}
    assert "Last-Modified" not in client.get("/api/press/releases")
    assert "Last-Modified" in client.get(f"/api/press/releases/{release.pk}")
    preview = paths["/api/press/preview"]["get"]["responses"]["200"]
    assert set(preview.get("headers", {})) == {"Cache-Control"}


def test_the_server_is_named(document, settings):
    assert document["servers"] == [{"url": settings.WAGTAILADMIN_BASE_URL}]


@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_a_browser_may_send_conditional_requests_and_read_the_validators(client, release):
    preflight = client.options(
        "/api/press/releases",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match, if-modified-since",
        },
    )
    allowed = preflight["Access-Control-Allow-Headers"].lower()
    assert "if-none-match" in allowed
    assert "if-modified-since" in allowed

    answer = client.get(f"/api/press/releases/{release.pk}", headers={"Origin": ORIGIN})
    exposed = {name.strip().lower() for name in answer["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified", "retry-after"} <= exposed


def test_api_v2_serves_the_press_apis_release_fields_and_photo_credits(client, newsroom):
    photo = ImageFactory()
    PhotoRights.objects.update_or_create(image=photo, defaults={"credit": "Stadt/Jana Muster"})
    release = PressReleasePageFactory(
        parent=newsroom,
        body=[body_paragraph("<p>Text.</p>"), body_image(photo, caption="Rathaus", credit="")],
    )
    release.corrections.add(ReleaseCorrection(date=datetime.date(2023, 2, 8), text="Korrigiert."))
    release.save_revision().publish()

    press = client.get(f"/api/press/releases/{release.pk}").json()
    v2 = client.get(f"/api/v2/pages/{release.pk}/").json()

    assert (
        v2["corrections"] == press["corrections"] == [{"date": "2023-02-08", "text": "Korrigiert."}]
    )
    assert v2["photos"] == press["photos"]
    assert v2["photos"][0]["credit"] == "Stadt/Jana Muster"
    assert v2["last_published_at"]
    image = client.get(f"/api/v2/images/{photo.pk}/").json()
    assert image["credit"] == "Stadt/Jana Muster"
    listed = client.get("/api/v2/images/").json()["items"]
    assert [item["credit"] for item in listed] == ["Stadt/Jana Muster"]


def test_a_frontend_gets_a_public_photo_in_an_allowed_crop_only(client, newsroom):
    public, draft_only = ImageFactory(), ImageFactory()
    public.focal_point_x, public.focal_point_y = 100, 100
    public.focal_point_width = public.focal_point_height = 50
    public.save()
    release = PressReleasePageFactory(parent=newsroom, body=[body_image(public)])
    release.save_revision().publish()
    draft = PressReleasePageFactory(parent=newsroom, live=False, body=[body_image(draft_only)])
    draft.save_revision()

    answer = client.get(f"/api/press/photos/{public.pk}/fill-800x450")
    assert answer.status_code == 302
    rendition = public.get_rendition("fill-800x450")
    assert answer["Location"].endswith(rendition.url)
    assert (rendition.width, rendition.height) == (
        800,
        450,
    ) or rendition.width / rendition.height == 16 / 9

    assert client.get(f"/api/press/photos/{draft_only.pk}/fill-800x450").status_code == 404
    assert client.get("/api/press/photos/999999/width-400").status_code == 404
    wrong = client.get(f"/api/press/photos/{public.pk}/fill-7x7")
    assert wrong.status_code == 400
    assert wrong.json()["parameter"] == "filter"
