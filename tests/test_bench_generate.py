import datetime
import random

import pytest
from django.db import connection
from wagtail.models import Page, Revision

from bench.generate import main as generate_main
from bench.generate import release_build, years_before
from press.models import PressReleasePage


def test_release_build_is_reproducible_and_has_the_requested_blocks():
    def build(seed):
        return release_build(
            rng=random.Random(seed),
            image_ids=[7, 8],
            date_from=datetime.date(2000, 1, 1),
            date_to=datetime.date(2024, 12, 31),
        )

    release = build(3)
    kinds = [block["type"] for block in release.body]
    assert kinds.count("paragraph") == 5
    assert kinds.count("quote") == 2
    assert kinds.count("image") == 3
    assert build(3) == release
    assert build(4) != release
    assert all(
        block["value"]["image"] in {7, 8} for block in release.body if block["type"] == "image"
    )


def test_generated_releases_are_live_pages_every_channel_sees(newsroom, client):
    generate_main(["25", "--photos", "2", "--seed", "1", "--publish"])

    releases = PressReleasePage.objects.child_of(newsroom)
    assert releases.count() == 25
    assert PressReleasePage.objects.visible().count() == 25
    newsroom.refresh_from_db()
    assert newsroom.numchild == 25
    # A sound tree: treebeard's own consistency check finds nothing to fix.
    assert Page.find_problems() == ([], [], [], [], [])
    assert len({r.slug for r in releases}) == 25
    years = {r.release_date.year for r in releases}
    assert len(years) > 5

    release = PressReleasePage.objects.visible().first()  # the newest: on the newsroom's first page
    assert release.live and release.first_published_at and release.last_published_at
    assert release.live_revision_id == release.latest_revision_id
    revision = Revision.objects.get(pk=release.latest_revision_id)
    assert revision.as_object().title == release.title
    kinds = [block.block_type for block in release.body]
    assert kinds.count("paragraph") == 5 and kinds.count("quote") == 2 and kinds.count("image") == 3
    assert release.body[-1].value["image"].renditions.count() >= 1

    assert client.get(release.url).status_code == 200
    newsroom_html = client.get(newsroom.url).content.decode()
    assert release.title in newsroom_html


def test_generated_drafts_stay_invisible_and_later_batches_append(newsroom):
    generate_main(["3", "--photos", "0"])
    assert PressReleasePage.objects.visible().count() == 0
    assert PressReleasePage.objects.filter(has_unpublished_changes=True).count() == 3

    generate_main(["4", "--photos", "0", "--publish", "--seed", "2"])
    assert PressReleasePage.objects.child_of(newsroom).count() == 7
    assert PressReleasePage.objects.visible().count() == 4
    assert Page.find_problems() == ([], [], [], [], [])
    # The tree still takes ordinary editor saves after a bulk insert.
    newsroom.add_child(instance=PressReleasePage(title="Von Hand", slug="von-hand"))
    assert PressReleasePage.objects.child_of(newsroom).count() == 8


def test_years_before_keeps_the_day_and_maps_29_february_to_the_28th():
    assert years_before(datetime.date(2024, 2, 29), 25) == datetime.date(1999, 2, 28)
    assert years_before(datetime.date(2024, 2, 29), 4) == datetime.date(2020, 2, 29)
    assert years_before(datetime.date(2026, 12, 2), 25) == datetime.date(2001, 12, 2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="bench/scale.py --fast copies rows with PostgreSQL's SQL; CI runs the suite there too",
)
def test_scale_fast_copies_are_valid_visible_searchable_releases_on_postgresql(client, newsroom):
    from bench.generate import releases_generate
    from bench.scale import archive_multiply

    releases_generate(parent=newsroom, count=4, photos=0, seed=5, publish=True)
    assert archive_multiply(newsroom=newsroom, target=11, batch=3) == 7

    assert [len(problems) for problems in Page.find_problems()] == [0, 0, 0, 0, 0]
    newsroom.refresh_from_db()
    assert newsroom.numchild == 11
    releases = list(PressReleasePage.objects.visible().select_related("document"))
    assert len(releases) == 11
    assert len({release.url_path for release in releases}) == 11
    assert all(release.document.is_current_for(release) for release in releases)
    copy = max(releases, key=lambda release: release.pk)
    assert client.get(copy.url).status_code == 200
    assert client.get(f"/api/press/releases/{copy.pk}").json()["id"] == copy.pk
    # Each copy has its source's search entry: a title's first word finds it and its source.
    word = copy.title.split()[0]
    found = client.get("/api/press/releases", {"q": word, "limit": 100}).json()
    assert copy.pk in {release["id"] for release in found["results"]}
