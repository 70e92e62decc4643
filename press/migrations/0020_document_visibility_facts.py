from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr


def restricted_fill(apps, schema_editor):
    """Each stored document learns whether a view restriction on its release or an ancestor
    covers it (the rest of the visibility rule is read from the page's row)."""
    ReleaseDocument = apps.get_model("press", "ReleaseDocument")
    Page = apps.get_model("wagtailcore", "Page")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    covering = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    ReleaseDocument.objects.update(
        restricted=Exists(Page.objects.filter(pk=OuterRef("release_id")).filter(Exists(covering)))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0019_delivery_handover"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="releasedocument",
            name="restricted",
            field=models.BooleanField(
                default=True, editable=False, verbose_name="behind a view restriction"
            ),
        ),
        migrations.RunPython(restricted_fill, migrations.RunPython.noop),
    ]
