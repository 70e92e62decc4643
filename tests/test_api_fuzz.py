"""Fuzzing the press API (schemathesis) over HTTP against a running server with real releases.

Every GET operation in the OpenAPI document gets schema-conforming and schema-violating
requests; no answer may be a server error, carry an undocumented status or content type, or
break its documented schema. Bounded to MAX_EXAMPLES per operation and mode.
"""

import datetime
import json
import os
import urllib.parse
from collections import Counter
from itertools import chain

import pytest
import schemathesis
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from wagtail.coreutils import get_content_languages
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from press.api.v2 import PressDocumentsAPIViewSet, PressImagesAPIViewSet, PressPagesAPIViewSet
from press.models import PressReleasePage, Topic
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    TopicFactory,
    body_image,
    body_paragraph,
    body_quote,
    site_with_newsroom,
)

# Per operation and mode; CI runs the default, a deeper run sets PRESS_FUZZ_EXAMPLES=500.
MAX_EXAMPLES = int(os.environ.get("PRESS_FUZZ_EXAMPLES", "50"))
# Every check schemathesis has for a read-only API without authentication (the others are
# about auth and resources made by POST: use_after_free, ensure_resource_availability,
# ignored_auth, object_level_authorization): schema-violating requests must be refused with a
# 4xx, schema-conforming ones accepted, the documented headers sent.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]


# Transactional: the live server reads the releases from its own thread.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fuzz_releases(wagtail_base_rows):
    """A newsroom with releases of every body shape, published, plus a draft."""
    _home, newsroom = site_with_newsroom()
    image = ImageFactory()
    contact = PressContactFactory()
    topics = [
        TopicFactory(name="Verkehr", slug="verkehr"),
        TopicFactory(name="Umwelt", slug="umwelt"),
    ]
    for number in range(12):
        body = [body_paragraph(f"<p>Absatz {number} über das Rathaus, CO<sub>2</sub>.</p>")]
        if number % 2:
            body.append(body_quote("<p>Wir bündeln Kräfte.</p>", "Dr. Stephan Keller", "OB"))
        if number % 3 == 0:
            body.append(body_image(image, caption="Foto", credit="Stadt Düsseldorf"))
        release = PressReleasePageFactory(
            parent=newsroom,
            slug=f"mitteilung-{number}",
            release_date=datetime.date(2022 + number % 3, 1 + number, 1 + number),
            contact=contact if number % 4 else None,
            body=body,
        )
        release.topics.set(topics[: number % 3])
        release.tags.set(["Rhein", "Radverkehr"][: number % 3])
        release.save_revision().publish()
    PressReleasePageFactory(parent=newsroom, slug="entwurf", live=False)
    return newsroom


def known_values(case):
    """A positive case within the rules OpenAPI cannot state, whose breach is a documented 400
    naming the parameter (tests/test_press_api.py), not a valid request rejected: topics and a
    language the office has (topics are its data, the languages its settings), and exactly one
    of `path` and `slug` for a release by path (parameters cannot be alternatives)."""
    if case.query is None:
        case.query = {}
    query = case.query
    if case.operation.path.endswith("/by-path"):
        if "path" in query:
            query.pop("slug", None)
        elif "slug" not in query:
            query["slug"] = "masterplan"
    if "topic" in query:
        slugs = list(Topic.objects.order_by("slug").values_list("slug", flat=True))
        chosen = query["topic"] if isinstance(query["topic"], list) else [query["topic"]]
        query["topic"] = [slugs[len(value) % len(slugs)] for value in chosen]
    if "language" in query:
        languages = sorted(get_content_languages())
        query["language"] = languages[len(query["language"]) % len(languages)]
    return case


def fuzz_operation(*, operation, mode: GenerationMode, base_url: str, examples, statuses):
    label = f"{operation.label} [{mode.value}]"
    cases = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.POSITIVE:
        cases = cases.map(known_values)

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call(base_url=base_url, timeout=30)
        examples[label] += 1
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    fuzz()


def negatable(operation) -> bool:
    """Whether a request can break the operation's schema at all: a header of type string
    takes any value, so an operation with no other parameter (the topic list, whose only
    parameters are the conditional headers) has no negative example to write."""
    return any(True for _parameter in chain(operation.path_parameters, operation.query))


def test_fuzz_every_get_operation(live_server, fuzz_releases):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/press/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if operation.method.upper() == "GET"]
    assert {operation.path for operation in operations} >= {
        "/api/press/releases",
        "/api/press/releases/{id}",
        "/api/press/releases/by-path",
        "/api/press/topics",
    }
    examples: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if negatable(operation):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            fuzz_operation(
                operation=operation,
                mode=mode,
                base_url=live_server.url,
                examples=examples,
                statuses=statuses,
            )

    total = sum(examples.values())
    print(f"\nschemathesis: {total} examples over {len(operations)} GET operations")
    for label, count in sorted(examples.items()):
        print(f"  {count:4d}  {label}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    assert all(examples[f"{op.label} [positive]"] > 0 for op in operations)
    assert 200 in statuses and 400 in statuses and 404 in statuses


# --- API v2: no schema, so hypothesis writes the query strings ------------------------------

# Per endpoint; PRESS_FUZZ_EXAMPLES raises it together with the press API's examples.
V2_EXAMPLES = max(200, MAX_EXAMPLES)
INT64 = 2**63
V2_PARAMETERS = {
    "pages": sorted(
        PressPagesAPIViewSet.known_query_parameters
        | PressPagesAPIViewSet.find_query_parameters
        | {
            "title",
            "slug",
            "show_in_menus",
            "seo_title",
            "search_description",
            "first_published_at",
        }
        | {"release_date", "lead", "contact", "body", "intro"}  # with type=press.…/home.…
    ),
    "images": sorted(
        PressImagesAPIViewSet.known_query_parameters
        | PressImagesAPIViewSet.find_query_parameters
        | {"title", "width", "height", "tags"}
    ),
    "documents": sorted(
        PressDocumentsAPIViewSet.known_query_parameters
        | PressDocumentsAPIViewSet.find_query_parameters
        | {"title", "tags"}
    ),
}
PAGE_TYPES = ["press.PressReleasePage", "press.PressIndexPage", "home.HomePage", "wagtailcore.Page"]

integers = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, 1, -1, INT64 - 1, INT64, -INT64, -INT64 - 1, 2**31, 2**31 - 1, 10**30]),
    st.integers(min_value=INT64 - 3, max_value=INT64 + 3),
)
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\x00\x01\x1f\x7f\x85\u2028 \"'*()-,:.%&=+;#?/\\[]{}<>~^"),
    ),
    max_size=40,
)
values = st.one_of(
    integers.map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    hostile_text,
    st.binary(max_size=20),  # raw bytes, percent-encoded as they are (invalid UTF-8 included)
    st.sampled_from(["root", "true", "false", "", " ", "*", "_", "and", "or", "random", "-id"]),
    st.sampled_from(PAGE_TYPES),
    st.dates().map(str),
    st.text(alphabet="abc(),-*_", max_size=30),  # `fields` syntax
    st.text(alphabet="ab \"'*()-:^{}\\", max_size=20),  # search syntax of the backends
    st.lists(st.sampled_from(["Absatz", "AND", "OR", "NOT", "NEAR", '"', "'", "*"])).map(" ".join),
)


def v2_query(endpoint: str):
    """A query string of up to five parameters; for pages often with a `type`, whose model's
    fields become filters."""
    names = st.one_of(st.sampled_from(V2_PARAMETERS[endpoint]), hostile_text, st.binary(max_size=8))
    page_type = st.sampled_from([None, *PAGE_TYPES]) if endpoint == "pages" else st.none()
    return st.tuples(page_type, st.lists(st.tuples(names, values), max_size=5)).map(
        lambda query: "&".join(
            ([f"type={query[0]}"] if query[0] else [])
            + [
                f"{urllib.parse.quote(name, safe='')}={urllib.parse.quote(value, safe='')}"
                for name, value in query[1]
            ]
        )
    )


def fuzz_v2_path(*, client, endpoint: str, path: str, examples, statuses):
    @given(query=v2_query(endpoint))
    @settings(
        max_examples=V2_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(query):
        response = client.get(f"{path}?{query}")
        examples[path] += 1
        statuses[response.status_code] += 1
        assert response.status_code < 500, (path, query)
        if response.status_code in (301, 302):
            assert response["Location"].startswith("http://testserver/api/v2/")
        else:
            assert response["Content-Type"] == "application/json", (path, query)
            assert isinstance(json.loads(response.content), dict), (path, query)

    fuzz()


@pytest.fixture
def v2_content(fuzz_releases):
    """Releases with photos (fuzz_releases) and a document, so every endpoint lists something."""
    document = get_document_model().objects.create(
        title="Haushaltsplan", file=ContentFile(b"Haushalt 2024", name="haushalt.txt")
    )
    release = PressReleasePage.objects.live().first()
    image = get_image_model().objects.first()
    return {"pages": release.pk, "images": image.pk, "documents": document.pk}


def test_fuzz_api_v2_query_strings(client, v2_content):
    """Every API v2 endpoint (listing, detail and find of pages, images and documents) answers
    hypothesis-made query strings — integers around the 64-bit limits, floats, control
    characters, raw bytes, unicode, Wagtail's own syntax — with JSON and no server error."""
    examples: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for endpoint, pk in v2_content.items():
        for path in (
            f"/api/v2/{endpoint}/",
            f"/api/v2/{endpoint}/{pk}/",
            f"/api/v2/{endpoint}/find/",
        ):
            fuzz_v2_path(
                client=client, endpoint=endpoint, path=path, examples=examples, statuses=statuses
            )

    total = sum(examples.values())
    print(f"\nAPI v2: {total} query strings over {len(examples)} endpoints")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    assert all(examples[path] >= V2_EXAMPLES for path in examples)
    assert {200, 400, 404} <= set(statuses)
