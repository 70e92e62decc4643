"""Fuzzing the press API (schemathesis) over HTTP against a running server with real releases.

Every GET operation in the OpenAPI document gets schema-conforming and schema-violating
requests; no answer may be a server error, carry an undocumented status or content type, or
break its documented schema. Bounded to MAX_EXAMPLES per operation and mode.
"""

import datetime
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
    site_with_newsroom,
)

# Per operation and mode; CI runs the default, a deeper run sets PRESS_FUZZ_EXAMPLES=500.
MAX_EXAMPLES = int(os.environ.get("PRESS_FUZZ_EXAMPLES", "50"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Transactional: the live server reads the releases from its own thread.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fuzz_releases(wagtail_base_rows):
    """A newsroom with releases of every body shape, published, plus a draft."""
    _home, newsroom = site_with_newsroom()
    image = ImageFactory()
    contact = PressContactFactory()
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
        release.save_revision().publish()
    PressReleasePageFactory(parent=newsroom, slug="entwurf", live=False)
    return newsroom


def fuzz_operation(*, operation, mode: GenerationMode, base_url: str, examples, statuses):
    label = f"{operation.label} [{mode.value}]"

    @given(case=operation.as_strategy(generation_mode=mode))
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


def test_fuzz_every_get_operation(live_server, fuzz_releases):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/press/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if operation.method.upper() == "GET"]
    assert {operation.path for operation in operations} >= {
        "/api/press/releases",
        "/api/press/releases/{id}",
        "/api/press/releases/by-path",
    }
    examples: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
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
