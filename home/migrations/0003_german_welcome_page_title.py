from django.db import migrations


def rename(apps, schema_editor):
    # The welcome page's German title (and, where the demo deleted it already, its title in
    # the site history): home.wagtail_defaults.RENAMES, which leaves renamed rows alone.
    from home.wagtail_defaults import rename_wagtail_defaults

    rename_wagtail_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("home", "0002_german_names_for_wagtail_defaults")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
