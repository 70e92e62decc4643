"""Requests an anonymous client can send to API v2 and the press API, hostile or careless: none
is answered with a server error.

A malformed parameter is a 400 in the API's own error format — Wagtail's `{"message": …}` on
API v2, problem+json on the press API —, whatever database runs below (CI runs this module on
SQLite and on PostgreSQL). The first tests are the findings that answered 500; the others cover
their classes, derived from the endpoints themselves where they can be (every filterable field,
every known parameter, every operation in the OpenAPI document), so that the next field or
operation is covered without a new test. tests/test_api_fuzz.py fuzzes both APIs on top.
"""

import datetime
import urllib.parse

import pytest
from django.core.files.base import ContentFile
from django.db import models
from taggit.managers import TaggableManager
from wagtail.documents import get_document_model

from home.models import HomePage
from press.api.v2 import PressDocumentsAPIViewSet, PressImagesAPIViewSet, PressPagesAPIViewSet
from press.models import PressIndexPage, PressReleasePage
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
)

BEYOND_64_BITS = [str(2**63), str(-(2**63) - 1), "1" + "0" * 30]
CONTROL_CHARACTERS = ["\x00", "\x01", "\x1f", "\x7f", "\x85"]
PROBLEM = "application/problem+json; charset=utf-8"
OTHER_METHODS = ["post", "put", "patch", "delete"]


@pytest.fixture
def content(newsroom):
    """A published release with a photo and a contact, and a document: every endpoint of API
    v2 has something to list and a detail to show."""
    photo = ImageFactory(title="Rathaus")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        contact=PressContactFactory(),
        body=[body_paragraph("<p>Das Rathaus lädt ein.</p>"), body_image(photo, credit="Stadt")],
    )
    release.save_revision().publish()
    document = get_document_model().objects.create(
        title="Haushaltsplan", file=ContentFile(b"Haushalt", name="haushalt.txt")
    )
    return {"pages": release.pk, "images": photo.pk, "documents": document.pk}


def url(path: str, /, **params: str) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}"


def assert_wagtail_400(response) -> str:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["message"] and body["message"]
    return body["message"]


def assert_problem(response, *, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if parameter is not None:
        assert problem["parameter"] == parameter
    return problem


# --- The findings of the issue, each answered 500 before -----------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/api/v2/pages/find/?id=abc",
        "/api/v2/pages/?offset=9223372036854775808",
        "/api/v2/images/?offset=9223372036854775808",
        "/api/v2/documents/?offset=9223372036854775808",
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?search=%20",
        "/api/v2/images/?search=%20",
        "/api/v2/documents/?search=%20",
    ],
)
def test_finding_is_a_400_in_wagtails_error_format(client, newsroom, address):
    assert_wagtail_400(client.get(address))


def test_finding_by_path_with_an_address_urllib_cannot_split(client, newsroom):
    response = client.get("/api/press/releases/by-path?path=http://%5B::1")

    assert_problem(response, status=400, parameter="path")


# Found by the classes below and the fuzz test, 500 before as well.
FURTHER_FINDINGS = [
    "/api/v2/images/find/?id=abc",
    "/api/v2/documents/find/?id=abc",
    "/api/v2/pages/?type=press.PressReleasePage&contact=9223372036854775808",
    "/api/v2/pages/?type=press.PressReleasePage&release_date=abc",
    "/api/v2/pages/?first_published_at=abc",
    "/api/v2/pages/?search=%22",
    "/api/v2/pages/?search=x&search_operator=xyz",
    "/api/v2/pages/?site=testserver:99999999999999999999",
    "/api/v2/pages/?fields=" + "title(" * 700,
]


def test_further_findings_are_a_400(client, newsroom):
    for address in FURTHER_FINDINGS:
        assert_wagtail_400(client.get(address))


def test_detail_view_checks_field_filters_too(client, content):
    """Wagtail's filter backends also run for a detail (DRF's get_object)."""
    pk = content["pages"]
    response = client.get(f"/api/v2/pages/{pk}/?first_published_at=0")

    assert_wagtail_400(response)


# --- API v2: the classes --------------------------------------------------------------------

ENDPOINTS = {
    "pages": PressPagesAPIViewSet,
    "images": PressImagesAPIViewSet,
    "documents": PressDocumentsAPIViewSet,
}
INTEGER_PARAMETERS = {
    "pages": [
        "offset",
        "limit",
        "id",
        "child_of",
        "ancestor_of",
        "descendant_of",
        "translation_of",
    ],
    "images": ["offset", "limit", "id"],
    "documents": ["offset", "limit", "id"],
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_integer_parameter_beyond_64_bits_is_a_400(client, content, endpoint):
    for parameter in INTEGER_PARAMETERS[endpoint]:
        for value in BEYOND_64_BITS:
            response = client.get(url(f"/api/v2/{endpoint}/", **{parameter: value}))
            assert parameter in assert_wagtail_400(response)
    for value in ["abc", "1.5", "", *BEYOND_64_BITS]:  # find's id is no filter
        assert_wagtail_400(client.get(url(f"/api/v2/{endpoint}/find/", id=value)))


def test_the_largest_64_bit_numbers_are_still_answered(client, content):
    """The limit is the database's, not lower: the last page and an unknown id answer as
    Wagtail answers them."""
    for endpoint in ENDPOINTS:
        listing = client.get(url(f"/api/v2/{endpoint}/", offset=str(2**63 - 1)))
        assert listing.status_code == 200
        assert listing.json()["items"] == []
        assert client.get(url(f"/api/v2/{endpoint}/", id=str(2**63 - 1))).json()["items"] == []
        assert client.get(url(f"/api/v2/{endpoint}/find/", id=str(2**63 - 1))).status_code == 404
        assert client.get(f"/api/v2/{endpoint}/{2**63}/").status_code == 404


def filterable_fields(endpoint: str):
    """(type parameter, field) for every field Wagtail's FieldsFilter accepts on an endpoint;
    for pages, on each page type a `type` parameter selects."""
    if endpoint == "pages":
        models_by_type = {
            f"{model._meta.app_label}.{model.__name__}": model
            for model in (PressReleasePage, PressIndexPage, HomePage)
        }
    else:
        models_by_type = {None: ENDPOINTS[endpoint].model}
    return [
        (type_name, model._meta.get_field(name))
        for type_name, model in models_by_type.items()
        for name in ENDPOINTS[endpoint].get_available_fields(model, db_fields_only=True)
        if name != "locale"  # a filter of its own (LocaleFilter)
    ]


def invalid_values(field) -> list[str]:
    """Values the field's column cannot be compared with."""
    if isinstance(field, TaggableManager):
        return []
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.BooleanField):
        return ["maybe"]
    if isinstance(target, models.IntegerField | models.AutoField):
        return [*BEYOND_64_BITS, "abc", "1.5"]
    if isinstance(target, models.DateField | models.DateTimeField | models.TimeField):
        return ["abc", "0", "2023-02-30"]
    return []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_field_filter_refuses_what_its_column_cannot_take(client, content, endpoint):
    """Every filterable field, in the listing and in the detail view: control characters and
    values of the wrong type or beyond the column are a 400."""
    cases = filterable_fields(endpoint)
    assert len(cases) >= (20 if endpoint == "pages" else 3)
    detail = f"/api/v2/{endpoint}/{content[endpoint]}/"
    for type_name, field in cases:
        type_parameter = {"type": type_name} if type_name else {}
        for path in (f"/api/v2/{endpoint}/", detail):
            for value in [*invalid_values(field), *CONTROL_CHARACTERS, "x\x00"]:
                response = client.get(url(path, **type_parameter, **{field.name: value}))
                if path == detail and response.status_code == 404:
                    continue  # the type does not match the object: Wagtail's 404 comes first
                assert_wagtail_400(response)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_control_characters_in_any_parameter_are_a_400(client, content, endpoint):
    viewset = ENDPOINTS[endpoint]
    names = sorted(viewset.known_query_parameters | viewset.find_query_parameters)
    for path in (
        f"/api/v2/{endpoint}/",
        f"/api/v2/{endpoint}/{content[endpoint]}/",
        f"/api/v2/{endpoint}/find/",
    ):
        for name in names:
            for character in CONTROL_CHARACTERS:
                assert_wagtail_400(client.get(url(path, **{name: f"a{character}b"})))
        # In a name as well: no parameter is called that.
        assert_wagtail_400(client.get(url(path, **{"a\x00b": "1"})))


def test_search_without_a_word_is_a_400_and_with_one_it_searches(client, content):
    for endpoint in ENDPOINTS:
        for search in ["", " ", "\t", '"', "'", "*", "()", " - ", '" "', '"Masterplan', 'x "y']:
            assert_wagtail_400(client.get(url(f"/api/v2/{endpoint}/", search=search)))
        for search in ['"Masterplan"', "Masterplan*", "(Haus", "a OR", "NEAR(", "Rathaus's"]:
            assert client.get(url(f"/api/v2/{endpoint}/", search=search)).status_code == 200


def words(count: int) -> list[str]:
    return [f"wort{n}" for n in range(count)]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_search_beyond_the_word_limit_is_a_400_and_one_within_it_searches(
    client, content, endpoint
):
    """On PostgreSQL 76 `OR` terms, 150 words or a 150-word phrase took Wagtail's search past
    Python's recursion limit (a 500 in HTML); the limit holds on every database alike."""
    from press.api.v2 import MAX_SEARCH_WORDS

    path = f"/api/v2/{endpoint}/"
    within = [
        " ".join(words(MAX_SEARCH_WORDS)),
        " OR ".join(words(MAX_SEARCH_WORDS // 2)),
        '"' + " ".join(words(MAX_SEARCH_WORDS)) + '"',
    ]
    for search in within:
        assert client.get(url(path, search=search)).status_code == 200, search
    assert client.get(url(path, search=within[0], search_operator="or")).status_code == 200
    beyond = [
        " ".join(words(MAX_SEARCH_WORDS + 1)),
        " OR ".join(words(76)),
        " ".join(words(150)),
        '"' + " ".join(words(150)) + '"',
    ]
    for search in beyond:
        message = assert_wagtail_400(client.get(url(path, search=search)))
        assert f"höchstens {MAX_SEARCH_WORDS} Wörter" in message
    assert_wagtail_400(client.get(url(path, search=" ".join(words(150)), search_operator="or")))


def test_the_press_api_and_newsroom_searches_take_their_longest_query(client, newsroom):
    """Their searches are plain words of at most 200 characters, looked up in one query (or,
    for a release without a stored document, with Wagtail's AND of at most 100 words): the
    longest one answers on every database."""
    PressReleasePageFactory(parent=newsroom, live=True)  # no document: Wagtail's search too
    longest = " ".join(f"w{n}" for n in range(66))[:200]
    assert client.get(url("/api/press/releases", q=longest)).status_code == 200
    assert client.get(url("/presse/", q=longest)).status_code == 200


def test_search_still_finds(client, content):
    items = client.get(url("/api/v2/pages/", search="Masterplan")).json()["items"]

    assert [item["id"] for item in items] == [content["pages"]]


def test_overlong_parameter_and_deeply_nested_fields_are_a_400(client, content):
    assert_wagtail_400(client.get(url("/api/v2/pages/", title="x" * 2001)))
    assert_wagtail_400(client.get(url("/api/v2/pages/", fields="title(" * 9 + ")" * 9)))
    # Wagtail's own syntax still works as before.
    assert (
        client.get(
            url("/api/v2/pages/", type="press.PressReleasePage", fields="contact")
        ).status_code
        == 200
    )


def test_root_stays_a_page_filter_value(client, content):
    assert client.get(url("/api/v2/pages/", child_of="root")).status_code == 200


# --- The press API --------------------------------------------------------------------------


def press_api_get_paths(client) -> list[str]:
    """Every GET address of the press API: its operations (from its own document, with an id
    filled in) and the document and docs themselves."""
    document = client.get("/api/press/openapi.json").json()
    paths = [path.replace("{id}", "1") for path, ops in document["paths"].items() if "get" in ops]
    assert {"/api/press/releases", "/api/press/releases/1", "/api/press/preview"} <= set(paths)
    return [*paths, "/api/press/openapi.json", "/api/press/docs"]


def test_other_methods_are_a_405_problem_with_allow(client, content):
    for path in press_api_get_paths(client):
        for method in OTHER_METHODS:
            response = getattr(client, method)(path)
            assert_problem(response, status=405)
            assert response["Allow"] == "GET, HEAD", path


def test_head_answers_like_get_everywhere_get_works(client, content):
    for path in press_api_get_paths(client):
        get = client.get(path)
        head = client.head(path)
        assert (head.status_code, head["Content-Type"]) == (get.status_code, get["Content-Type"])
        assert head.content == b""


def test_the_api_root_is_a_problem_naming_the_document(client, content):
    problem = assert_problem(client.get("/api/press/"), status=404)

    assert "http://testserver/api/press/openapi.json" in problem["detail"]
    assert client.head("/api/press/").status_code == 404


def test_unknown_addresses_below_the_api_are_problems(client, content):
    for path in ["/api/press/nothing", "/api/press/releases/abc", "/api/press/releases/"]:
        for method in ["get", "post", "delete"]:
            assert_problem(getattr(client, method)(path), status=404)


def test_by_path_refuses_a_path_it_cannot_read(client, content):
    for path in [
        "http://[::1",
        "https://[",
        "/presse/%00/",
        "/presse/masterplan%1F",
        "https://example.org/presse/%7F",
    ]:
        response = client.get(url("/api/press/releases/by-path", path=path))
        assert_problem(response, status=400, parameter="path")
    # A port urllib could not read is never read: the path alone counts.
    response = client.get(url("/api/press/releases/by-path", path="http://[::1]:99999999/x/"))
    assert_problem(response, status=404)


def test_by_path_still_finds_by_address(client, content):
    response = client.get(
        url("/api/press/releases/by-path", path="https://example.org/presse/masterplan-industrie/")
    )

    assert response.status_code == 200


def test_control_characters_in_press_api_text_parameters_are_a_400(client, content):
    for operation, parameter in [
        ("/api/press/releases", "q"),
        ("/api/press/releases/by-path", "path"),
        ("/api/press/releases/by-path", "slug"),
        ("/api/press/preview", "token"),
        ("/api/press/preview", "content_type"),
    ]:
        for character in CONTROL_CHARACTERS:
            response = client.get(url(operation, **{parameter: f"a{character}b"}))
            assert_problem(response, status=400, parameter=parameter)
