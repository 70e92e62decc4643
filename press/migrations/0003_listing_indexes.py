"""Indexes for the public listings at archive scale (100,000 releases and more).

- The newsroom order (release_date desc, then newest id): the listing reads the first rows of
  this index instead of sorting every visible release.
- Path lookup (`/api/press/releases/by-path`, frontend routes) matches Wagtail's `url_path`,
  which Wagtail does not index.

Plain SQL that SQLite and PostgreSQL both understand; no model state changes (the second
index is on Wagtail's table, which this app does not own).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0002_embargosharelink"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX press_release_newest ON press_pressreleasepage "
            "(release_date DESC, page_ptr_id DESC)",
            "DROP INDEX press_release_newest",
        ),
        migrations.RunSQL(
            "CREATE INDEX press_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX press_page_url_path",
        ),
    ]
