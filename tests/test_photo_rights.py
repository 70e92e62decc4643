"""Photo rights at the photo (issue 10 §2): credit, licence and rights end kept with the image;
the image block takes credit and alt from the photo unless a use overrides them; a photo without
any credit cannot be published; when a photo's rights end it leaves every public channel at once
(the read path) and the scheduled job rebuilds, purges and announces; the image listing shows
and searches credits; releases offer print and web sizes."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from press.models import PhotoRights, PressReleasePage, ReleaseDocument
from press.publishing.photos import photos_expired_withdraw
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    original_path,
)
from tests.test_notifications import (  # noqa: F401  (fixtures)
    PurgeReceiver,
    Receiver,
    purge_receiver,
    purged,
    receiver,
)
from tests.test_uploads import jpeg_bytes

Image = get_image_model()
CREDIT = "Landeshauptstadt Düsseldorf/Melanie Zanin"


@pytest.fixture
def editor_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(user)
    return client


def photo_with_rights(*, credit=CREDIT, rights_end=None, description="", **kwargs):
    image = ImageFactory(description=description, **kwargs)
    PhotoRights.objects.create(
        image=image, credit=credit, licence="Nur redaktionell", rights_end=rights_end
    )
    return image


def release_with(newsroom, *blocks, slug="masterplan-industrie"):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug=slug,
        body=[body_paragraph("<p>Die Stadt stellt den Masterplan vor.</p>"), *blocks],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def expire_now(image) -> None:
    """The rights end comes: the photo's rights end and the documents' record of it move into
    the past, exactly as the passing of time would have them (no signal, no rebuild)."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    PhotoRights.objects.filter(image=image).update(rights_end=past)
    ReleaseDocument.objects.exclude(photos_expire_at=None).update(photos_expire_at=past)


# --- the model and the block, without HTTP ----------------------------------------------------
def test_the_block_takes_credit_and_alt_from_the_photo(newsroom):
    image = photo_with_rights(description="Blick über den Rheinhafen")
    release = release_with(newsroom, body_image(image, caption="Der Hafen", credit=""))

    photo = release.document.data["photos"][0]
    assert photo["credit"] == CREDIT
    assert photo["alt"] == "Blick über den Rheinhafen"  # Wagtail's description, its alt text
    assert photo["licence"] == "Nur redaktionell"


def test_the_block_s_values_override_the_photo_s_for_one_use(newsroom):
    image = photo_with_rights(description="Blick über den Rheinhafen")
    release = release_with(
        newsroom, body_image(image, caption="Der Hafen", credit="dpa/Jane Doe", alt="Kräne")
    )

    photo = release.document.data["photos"][0]
    assert (photo["credit"], photo["alt"]) == ("dpa/Jane Doe", "Kräne")


def test_a_photo_without_any_credit_is_refused_by_the_block(db):
    block = PressReleasePage.body.field.stream_block.child_blocks["image"]
    no_rights = ImageFactory()
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python({"image": no_rights.pk, "caption": "", "credit": ""}))
    assert "credit" in refused.value.block_errors
    assert "nicht ohne Bildnachweis veröffentlicht" in str(refused.value.block_errors["credit"])

    # A draft may be saved without it (Wagtail defers what only publishing requires).
    stream_block = PressReleasePage.body.field.stream_block
    draft = stream_block.to_python(
        [{"type": "image", "value": {"image": no_rights.pk, "caption": "", "credit": ""}}]
    )
    assert stream_block.clean_deferred(draft)[0].value["image"] == no_rights

    # (with a description: publishing also needs the photo's alternative text, press.a11y_checks)
    with_rights = photo_with_rights(description="Kräne am Rheinhafen")
    cleaned = block.clean(block.to_python({"image": with_rights.pk, "caption": "", "credit": ""}))
    assert cleaned["image"] == with_rights


def test_the_document_records_the_earliest_rights_end(newsroom):
    soon = timezone.now() + datetime.timedelta(days=2)
    later = timezone.now() + datetime.timedelta(days=30)
    release = release_with(
        newsroom,
        body_image(photo_with_rights(rights_end=later), credit=""),
        body_image(photo_with_rights(rights_end=soon), credit=""),
    )
    assert release.document.photos_expire_at == soon


def test_an_expired_photo_is_left_out_of_a_document_built_now(newsroom):
    gone = photo_with_rights(rights_end=timezone.now() - datetime.timedelta(minutes=1))
    kept = photo_with_rights()
    release = release_with(
        newsroom, body_image(gone, caption="Abgelaufen", credit=""), body_image(kept, credit="")
    )
    document = release.document
    assert [photo["image"]["id"] for photo in document.data["photos"]] == [kept.pk]
    assert "Abgelaufen" not in document.text and "Abgelaufen" not in document.api_json
    assert document.photos_expire_at is None


def test_a_stored_document_with_an_expired_photo_is_rebuilt_on_read(newsroom):
    image = photo_with_rights(rights_end=timezone.now() + datetime.timedelta(hours=1))
    release = release_with(newsroom, body_image(image, caption="Der Hafen", credit=""))
    expire_now(image)

    release = PressReleasePage.objects.select_related("document").get(pk=release.pk)
    assert not release.document.is_current_for(release)
    document = release.public_document(None)
    assert document.data["photos"] == []
    assert ReleaseDocument.objects.get(pk=release.pk).photos_expire_at is None


def test_migrate_rebuilds_documents_of_an_older_shape(newsroom, django_capture_on_commit_callbacks):
    from press.models.documents import DOCUMENT_VERSION
    from press.publishing.documents import documents_missing_build

    release = release_with(newsroom, body_image(photo_with_rights(), credit=""))
    ReleaseDocument.objects.filter(pk=release.pk).update(version=2, data={"photos": []})

    with django_capture_on_commit_callbacks(execute=True):
        documents_missing_build(sender=None)

    document = ReleaseDocument.objects.get(pk=release.pk)
    assert document.version == DOCUMENT_VERSION
    assert [d["kind"] for d in document.data["photos"][0]["image"]["downloads"]] == [
        "print",
        "web",
    ]


# --- the scheduled job ------------------------------------------------------------------------
def test_the_job_withdraws_the_photo_purges_and_announces(
    newsroom,
    receiver,  # noqa: F811  (the webhook receiver of test_notifications)
    purged,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    image = photo_with_rights(rights_end=timezone.now() + datetime.timedelta(hours=1))
    other = photo_with_rights()
    release = release_with(newsroom, body_image(image, credit=""), body_image(other, credit=""))
    unaffected = release_with(newsroom, body_image(other, credit=""), slug="anderes-thema")
    image.get_rendition("width-400")
    receiver.requests.clear()
    purged.clear()
    expire_now(image)

    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = photos_expired_withdraw()

    assert withdrawn == [image.pk]
    document = ReleaseDocument.objects.get(pk=release.pk)
    assert [photo["image"]["id"] for photo in document.data["photos"]] == [other.pk]
    assert not image.renditions.exists()  # the addresses handed out serve nothing any more
    assert receiver.events() == ["release.updated"]
    assert receiver.payloads()[0]["release"]["id"] == release.pk
    assert "http://testserver/presse/masterplan-industrie/" in purged
    assert not any("anderes-thema" in url for url in purged)
    assert unaffected.pk not in [p["release"]["id"] for p in receiver.payloads()]
    assert PhotoRights.objects.get(pk=image.pk).expiry_handled_at is not None

    # Handled once: the next minute's run finds nothing to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert photos_expired_withdraw() == []
    assert receiver.events() == ["release.updated"]


def test_the_job_runs_as_a_management_command(newsroom, capsys):
    image = photo_with_rights(rights_end=timezone.now() - datetime.timedelta(minutes=1))
    call_command("press_photo_rights_expire")
    assert "1 photo(s) withdrawn" in capsys.readouterr().out
    assert PhotoRights.objects.get(pk=image.pk).expiry_handled_at is not None


# --- every public channel over HTTP -----------------------------------------------------------
@pytest.fixture
def expired_release(newsroom):
    """A release with two photos, one of which has just lost its rights (the job has not run)."""
    gone = photo_with_rights(
        credit="Agentur/Abgelaufen",
        rights_end=timezone.now() + datetime.timedelta(hours=1),
        file__filename="abgelaufen.jpg",
    )
    kept = photo_with_rights(file__filename="hafen.jpg")
    release = release_with(
        newsroom,
        body_image(gone, caption="Das Stadion", credit=""),
        body_image(kept, caption="Der Hafen", credit=""),
    )
    expire_now(gone)
    return release, gone, kept


def test_an_expired_photo_is_gone_from_the_page(client, expired_release):
    release, _gone, kept = expired_release
    html = client.get(release.url).content.decode()
    assert "Das Stadion" not in html and "Agentur/Abgelaufen" not in html
    assert "Der Hafen" in html and original_path(kept) in html


def test_an_expired_photo_is_gone_from_both_apis_and_ninjs(client, expired_release):
    release, _gone, kept = expired_release
    press = client.get(f"/api/press/releases/{release.pk}").json()
    assert [photo["image"]["id"] for photo in press["photos"]] == [kept.pk]
    listed = client.get("/api/press/releases").json()["results"][0]
    assert [photo["image"]["id"] for photo in listed["photos"]] == [kept.pk]
    v2 = client.get(f"/api/v2/pages/{release.pk}/?fields=body").json()
    assert "Das Stadion" not in json.dumps(v2) and "Der Hafen" in json.dumps(v2)
    images = client.get("/api/v2/images/").json()["items"]
    assert [item["id"] for item in images] == [kept.pk]
    ninjs = client.get(f"/api/press/releases/{release.pk}/ninjs").content.decode()
    assert "Agentur/Abgelaufen" not in ninjs and "Der Hafen" in ninjs


def test_an_expired_photo_is_gone_from_text_feed_kit_and_pdf(client, expired_release):
    release, _gone, kept = expired_release
    text = client.get(release.url + "text/").content.decode()
    assert "Das Stadion" not in text and "Der Hafen" in text
    feed = client.get("/presse/rss/").content.decode()
    assert "abgelaufen" not in feed and "hafen" in feed
    kit = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(release.url + "presskit/").streaming_content))
    )
    assert [name for name in kit.namelist() if name.endswith(".jpg")] == [
        kept.file.name.rsplit("/", 1)[-1]
    ]
    assert "Agentur/Abgelaufen" not in kit.read("credits.txt").decode()
    pdf = PdfReader(io.BytesIO(client.get(release.url + "pdf/").content))
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Das Stadion" not in pdf_text and "Der Hafen" in pdf_text


def test_an_expired_photo_s_original_is_not_served(client, expired_release):
    _release, gone, kept = expired_release
    assert client.get(original_path(gone)).status_code == 404
    assert client.get(original_path(kept)).status_code == 200


def test_an_expired_photo_is_gone_from_the_export(expired_release):
    from press.export import releases_export_text_zip

    buffer = io.BytesIO()
    releases_export_text_zip(out=buffer)
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    assert "Das Stadion" not in text and "Der Hafen" in text


# --- the admin --------------------------------------------------------------------------------
def upload(client, **values):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Pressefoto",
            "file": SimpleUploadedFile("foto.jpg", jpeg_bytes(), "image/jpeg"),
            "collection": Collection.get_first_root_node().pk,
            **values,
        },
    )


def test_uploading_asks_for_the_credit(editor_client):
    form = editor_client.get("/admin/images/add/").content.decode()
    assert 'name="credit"' in form and "Bildnachweis (©)" in form
    assert 'name="licence"' in form and 'name="rights_end"' in form

    refused = upload(editor_client)
    assert refused.status_code == 200
    assert "credit" in refused.context["form"].errors
    assert not Image.objects.exists()


def test_an_upload_saves_credit_licence_and_rights_end(editor_client):
    response = upload(
        editor_client,
        credit="Stadt Düsseldorf/Jane Doe",
        licence="Nur im Zusammenhang mit dieser Meldung",
        rights_end="2027-03-31 18:00",
    )
    assert response.status_code == 302
    rights = Image.objects.get().photo_rights
    assert rights.credit == "Stadt Düsseldorf/Jane Doe"
    assert rights.licence == "Nur im Zusammenhang mit dieser Meldung"
    assert timezone.localtime(rights.rights_end).strftime("%Y-%m-%d %H:%M") == "2027-03-31 18:00"


def test_the_edit_form_shows_and_saves_the_rights(editor_client):
    image = photo_with_rights()
    url = reverse("wagtailimages:edit", args=[image.pk])
    form = querydict_from_html(editor_client.get(url).content.decode(), form_id="w-editor-form")
    assert form["credit"] == CREDIT
    form["credit"] = "dpa/Neuer Name"
    response = editor_client.post(url, form)
    assert response.status_code == 302
    assert PhotoRights.objects.get(pk=image.pk).credit == "dpa/Neuer Name"


def test_the_multiple_uploader_asks_each_photo_s_credit_before_it_is_created(editor_client):
    first = editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("foto.jpg", jpeg_bytes(), "image/jpeg")},
    ).json()
    # Wagtail keeps the file aside and shows the photo's form, credit included.
    assert first["success"] is True and "uploaded_file_id" in first
    assert 'name="uploaded-image-' in first["form"] and "-credit" in first["form"]
    assert not Image.objects.exists()

    upload_id = first["uploaded_file_id"]
    prefix = f"uploaded-image-{upload_id}"
    done = editor_client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload_id]),
        {
            f"{prefix}-title": "Hafen",
            f"{prefix}-collection": Collection.get_first_root_node().pk,
            f"{prefix}-credit": "Stadt Düsseldorf/Jane Doe",
        },
    ).json()
    assert done["success"] is True
    assert Image.objects.get().photo_rights.credit == "Stadt Düsseldorf/Jane Doe"


def test_the_listing_shows_credit_and_rights_end_and_marks_expired_photos(editor_client):
    photo_with_rights(title="Hafen", credit="Agentur/Melanie Zanin")
    photo_with_rights(
        title="Stadion",
        credit="Agentur/Abgelaufen",
        rights_end=timezone.now() - datetime.timedelta(days=1),
    )
    for layout in ("grid", "list"):
        html = editor_client.get(f"/admin/images/?layout={layout}").content.decode()
        assert "©Agentur/Melanie Zanin" in html
        assert "Rechte enden" in html
        assert html.count("Rechte abgelaufen") == 1


def test_the_listing_is_searched_by_credit(editor_client):
    photo_with_rights(title="Hafen", credit="Melanie Zanin")
    photo_with_rights(title="Stadion", credit="David Young")
    html = editor_client.get("/admin/images/?q=Zanin&layout=list").content.decode()
    assert "Hafen" in html and "Stadion" not in html


# --- publishing and downloads -----------------------------------------------------------------
def test_publishing_a_photo_without_any_credit_is_refused(editor_client, newsroom):
    image = ImageFactory()  # no rights: no credit at the photo
    add_url = reverse("wagtailadmin_pages:add", args=["press", "pressreleasepage", newsroom.pk])
    form = querydict_from_html(
        editor_client.get(add_url).content.decode(), form_id="page-edit-form"
    )
    block = {"image": image.pk, "caption": "Der Hafen", "credit": "", "alt": ""}
    form.update(nested_form_data({"body": streamfield([("image", block)])}))
    form.update({"title": "Ohne Nachweis", "slug": "ohne-nachweis", "action-publish": "1"})
    form["contact"] = PressContactFactory().pk

    response = editor_client.post(add_url, form)

    assert response.status_code == 200
    # The error sits at the block's credit field, in the editor's language.
    (stream_error,) = response.context["form"].errors.as_data()["body"]
    credit_error = stream_error.block_errors[0].block_errors["credit"]
    assert "nicht ohne Bildnachweis veröffentlicht" in " ".join(credit_error.messages)
    assert not PressReleasePage.objects.filter(slug="ohne-nachweis").exists()


def test_each_photo_offers_print_and_web_size_with_its_credit(client, newsroom):
    image = photo_with_rights(file__width=4000, file__height=3000)
    release = release_with(newsroom, body_image(image, caption="Der Hafen", credit=""))

    downloads = {d["kind"]: d for d in release.document.data["photos"][0]["image"]["downloads"]}
    assert (downloads["print"]["width"], downloads["print"]["height"]) == (3000, 2250)
    assert (downloads["web"]["width"], downloads["web"]["height"]) == (1200, 900)
    # Made at publish time: the renditions exist before any reader asks.
    assert image.renditions.filter(filter_spec__startswith="max-3000x3000").exists()

    html = client.get(release.url).content.decode()
    section = html.split('id="pressefotos"')[1]
    assert "Druckgröße" in section and "Webgröße" in section and "Original" in section
    assert "3000 × 2250 Pixel" in section and "1200 × 900 Pixel" in section  # noqa: RUF001
    assert section.count(f"©{CREDIT}") >= 4  # the photo's line and each of its three links


def test_the_image_block_s_placeholders_are_the_library_photo_s_credit_and_alt(
    editor_client, django_user_model
):
    photo = photo_with_rights(title="Steuerungskreis", description="Der Steuerungskreis tagt")
    url = reverse("press_photo_placeholders", args=[photo.pk])

    answer = editor_client.get(url)

    assert answer.status_code == 200
    assert answer.json() == {"credit": CREDIT, "alt": "Der Steuerungskreis tagt"}
    without_rights = ImageFactory(title="Rathaus")
    answer = editor_client.get(reverse("press_photo_placeholders", args=[without_rights.pk]))
    assert answer.json() == {"credit": "", "alt": "Rathaus"}
    # Someone who may not choose the photo learns nothing of it.
    stranger = django_user_model.objects.create_user("fremd", "f@example.org", "pw")
    editor_client.force_login(stranger)
    assert editor_client.get(url).status_code in (302, 403)
