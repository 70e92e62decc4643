"""Statements compiled once per process (press.statements): every answer as the queryset would
give it, whatever statement made it, and no more statements kept than the bound."""

import datetime

from press import statements
from press.models import PressReleasePage
from tests.factories import PressReleasePageFactory

LIST_URL = "/api/press/releases"


def test_many_different_lists_keep_at_most_the_bound_and_answer_right(client, newsroom):
    for day in range(1, 13):
        release = PressReleasePageFactory(
            parent=newsroom, title=f"Mitteilung {day}", release_date=datetime.date(2024, 1, day)
        )
        release.save_revision().publish()
    newest_first = [r.pk for r in PressReleasePage.objects.visible()]
    statements.statements_clear()
    asked = 0
    for offset in range(12):
        for limit in range(1, 13):
            answer = client.get(LIST_URL, {"offset": offset, "limit": limit}).json()
            assert [item["id"] for item in answer["results"]] == newest_first[
                offset : offset + limit
            ], (offset, limit)
            assert answer["count"] == 12
            asked += 1
    assert asked > statements.STATEMENTS_MAX
    assert len(statements._statements) <= statements.STATEMENTS_MAX
    # The statement of the first page was dropped long ago, and is made again.
    again = client.get(LIST_URL, {"offset": 0, "limit": 1}).json()
    assert [item["id"] for item in again["results"]] == newest_first[:1]
