"""English admin, German dates: the date pickers show 03.12.2026 whatever language an editor
chose (WAGTAIL_DATE_FORMAT), so the English input formats read that too. Everything else
comes from Django's own English formats."""

from django.conf.locale.en import formats as english

DATE_INPUT_FORMATS = ["%d.%m.%Y", *english.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", *english.DATETIME_INPUT_FORMATS]
