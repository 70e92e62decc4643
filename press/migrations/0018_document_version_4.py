# Documents carry the release's topics and tags (DOCUMENT_VERSION 4). The documents of older versions
# are rebuilt after `migrate` by press.publishing.documents.documents_missing_build (it needs
# the real page models, blocks and renditions, which a migration's historical models lack),
# and any one still outdated is rebuilt when it is first read.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('press', '0017_photo_rights'),
    ]

    operations = [
        migrations.AlterField(
            model_name='releasedocument',
            name='version',
            field=models.PositiveSmallIntegerField(default=4, verbose_name='document version'),
        ),
    ]
