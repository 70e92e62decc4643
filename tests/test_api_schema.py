"""The press API's OpenAPI document: 3.1, one named schema per block, every response described,
and real responses valid against it."""

import datetime

import jsonschema_rs
import pytest

from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    TopicFactory,
    body_image,
    body_paragraph,
    body_quote,
)

OPENAPI_URL = "/api/press/openapi.json"
RELEASE_OPERATIONS = ["releases_list", "releases_detail", "releases_by_path"]


@pytest.fixture
def document(client, db):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    return response.json()


def operations(document) -> dict[str, dict]:
    return {
        operation["operationId"]: operation
        for methods in document["paths"].values()
        for operation in methods.values()
    }


def validator_for(document, schema_name: str):
    """A JSON Schema 2020-12 validator for one component, refs resolved inside the document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


def response_schema_name(operation: dict, status: str, media_type: str) -> str:
    ref = operation["responses"][status]["content"][media_type]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def test_document_is_openapi_3_1_with_docs(client, document):
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Pressedienst API"
    assert set(RELEASE_OPERATIONS) <= set(operations(document))
    docs = client.get("/api/press/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/press/openapi.json" in html
    # Swagger UI from our own static files: the site's CSP allows no third-party scripts.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_each_block_type_has_a_named_schema_and_body_is_discriminated_by_type(document):
    schemas = document["components"]["schemas"]
    for name, block_type, fields in [
        ("ParagraphBlock", "paragraph", {"html", "text"}),
        ("QuoteBlock", "quote", {"text", "name", "role"}),
        ("ImageBlock", "image", {"caption", "credit", "alt", "image"}),
    ]:
        block = schemas[name]
        assert block["properties"]["type"]["const"] == block_type
        value_ref = block["properties"]["value"]["$ref"].rsplit("/", 1)[-1]
        assert fields <= set(schemas[value_ref]["properties"])

    image_file = schemas["ImageFile"]["properties"]
    assert {"url", "width", "height", "renditions"} <= set(image_file)
    assert {"url", "width"} <= set(schemas["Rendition"]["properties"])

    body = schemas["Release"]["properties"]["body"]["items"]
    assert body["discriminator"]["propertyName"] == "type"
    assert body["discriminator"]["mapping"] == {
        "paragraph": "#/components/schemas/ParagraphBlock",
        "quote": "#/components/schemas/QuoteBlock",
        "image": "#/components/schemas/ImageBlock",
    }
    assert {"id", "title", "slug", "release_date", "lead", "body", "contact", "html_url"} <= set(
        schemas["Release"]["required"]
    )


@pytest.mark.parametrize("operation_id", RELEASE_OPERATIONS)
def test_every_release_operation_documents_each_response_it_can_give(document, operation_id):
    operation = operations(document)[operation_id]
    responses = operation["responses"]
    assert {"200", "304", "400", "404"} <= set(responses)
    assert "application/json" in responses["200"]["content"]
    # Only what is sent: a list has no single publication time, so no Last-Modified.
    sent = {"ETag", "Cache-Control"}
    if operation_id != "releases_list":
        sent.add("Last-Modified")
    assert set(responses["200"]["headers"]) == sent
    assert "content" not in responses["304"]
    for status in ("400", "404"):
        assert set(responses[status]["content"]) == {"application/problem+json"}
        assert response_schema_name(operation, status, "application/problem+json") == "Problem"
    header_parameters = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert {"If-None-Match", "If-Modified-Since"} <= header_parameters


def test_the_topic_list_is_documented_for_a_filter_menu(document):
    operation = operations(document)["topics_list"]
    responses = operation["responses"]
    assert {"200", "304", "400"} <= set(responses)
    assert response_schema_name(operation, "200", "application/json") == "TopicList"
    assert {"ETag", "Cache-Control"} <= set(responses["200"]["headers"])
    assert response_schema_name(operation, "400", "application/problem+json") == "Problem"
    topic = document["components"]["schemas"]["Topic"]
    assert set(topic["required"]) == {"slug", "name", "description", "release_count"}
    release = document["components"]["schemas"]["Release"]["properties"]
    for name in ("topics", "tags"):
        ref = release[name]["items"]["$ref"].rsplit("/", 1)[-1]
        assert set(document["components"]["schemas"][ref]["required"]) == {"slug", "name"}


def test_limit_cap_and_filters_are_in_the_document(document):
    parameters = {p["name"]: p for p in operations(document)["releases_list"]["parameters"]}
    assert {
        "limit",
        "offset",
        "year",
        "month",
        "date_from",
        "date_to",
        "contact",
        "q",
        "ordering",
        "topic",
        "tag",
    } <= set(parameters)
    # Repeatable: a generated client sends an array as `topic=a&topic=b`.
    for name in ("topic", "tag"):
        assert parameters[name]["schema"]["type"] == "array"
        assert parameters[name]["schema"]["items"]["type"] == "string"
        assert (
            parameters[name].get("explode", True)
            and parameters[name].get("style", "form") == "form"
        )
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["offset"]["schema"]["minimum"] == 0
    assert parameters["ordering"]["schema"]["enum"] == ["-release_date", "release_date"]


def test_real_responses_match_the_document(client, newsroom, document):
    image = ImageFactory()
    release = PressReleasePageFactory(
        parent=newsroom,
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        lead="Der Steuerungskreis tagte.",
        body=[
            body_paragraph("<p>CO<sub>2</sub> sinkt.</p>"),
            body_quote(
                "<p>Wir bündeln unsere Kräfte.</p>", "Dr. Stephan Keller", "Oberbürgermeister"
            ),
            body_quote("<p>Ohne Funktion.</p>", "Anna Beispiel"),
            body_image(image, caption="Im Rathaus", credit="Stadt Düsseldorf"),
        ],
    )
    release.topics.set([TopicFactory(name="Wirtschaft", slug="wirtschaft")])
    release.tags.set(["Industrie"])
    release.save_revision().publish()
    PressReleasePageFactory(parent=newsroom, contact=None).save_revision().publish()
    ops = operations(document)

    checks = [
        ("releases_list", "/api/press/releases", 200),
        ("releases_list", "/api/press/releases?limit=1&q=Rathaus", 200),
        ("releases_list", "/api/press/releases?topic=wirtschaft&tag=industrie", 200),
        ("releases_list", "/api/press/releases?topic=unbekannt", 400),
        ("topics_list", "/api/press/topics", 200),
        ("topics_list", "/api/press/topics?limit=1", 400),
        ("releases_detail", f"/api/press/releases/{release.pk}", 200),
        (
            "releases_by_path",
            "/api/press/releases/by-path?path=/presse/2023/masterplan-industrie",
            200,
        ),
        ("releases_list", "/api/press/releases?limit=500", 400),
        ("releases_list", "/api/press/releases?date_from=gestern", 400),
        ("releases_by_path", "/api/press/releases/by-path", 400),
        ("releases_detail", "/api/press/releases/987654", 404),
        ("releases_by_path", "/api/press/releases/by-path?slug=nichts", 404),
    ]
    for operation_id, url, status in checks:
        response = client.get(url)
        assert response.status_code == status, url
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in ops[operation_id]["responses"][str(status)]["content"], url
        name = response_schema_name(ops[operation_id], str(status), media_type)
        errors = [
            error.message for error in validator_for(document, name).iter_errors(response.json())
        ]
        assert errors == [], (url, errors)

    detail = client.get(f"/api/press/releases/{release.pk}").json()
    assert [block["type"] for block in detail["body"]] == ["paragraph", "quote", "quote", "image"]
    assert detail["topics"] == [{"slug": "wirtschaft", "name": "Wirtschaft"}]
    listed = client.get("/api/press/releases?topic=wirtschaft&tag=industrie").json()["results"]
    assert [item["id"] for item in listed] == [release.pk]


def test_the_validator_rejects_a_block_that_breaks_the_schema(document):
    # Guards the test above: a quote without a name, or an unknown block type, is invalid.
    validator = validator_for(document, "Release")
    release = {
        "id": 1,
        "title": "T",
        "slug": "t",
        "language": "de",
        "release_date": "2023-02-07",
        "lead": "",
        "body": [
            {
                "type": "quote",
                "id": "x",
                "value": {"text": "<p>x</p>", "text_plain": "x", "role": ""},
            }
        ],
        "contact": None,
        "html_url": None,
        "text_url": None,
        "pdf_url": None,
        "press_kit_url": None,
        "corrections": [],
        "topics": [],
        "tags": [],
        "first_published_at": None,
        "last_published_at": None,
        "photos": [],
    }
    assert not validator.is_valid(release)
    # Positive control: the same release with a complete quote is valid.
    complete = {"text": "<p>x</p>", "text_plain": "x", "name": "N", "role": ""}
    assert validator.is_valid(
        {**release, "body": [{"type": "quote", "id": "x", "value": complete}]}
    )
    release["body"] = [{"type": "video", "id": "x", "value": {}}]
    assert not validator.is_valid(release)
    release["body"] = []
    assert validator.is_valid(release)
