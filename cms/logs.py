"""Log lines of the host in German where Wagtail writes them half translated."""

import logging
import re

# wagtail.coreutils.BatchCreator.get_summary(): an untranslated sentence around a translated
# model name, "1/1 Weiterleitungen were created successfully." whenever a slug changes.
CREATED = re.compile(r"^(\d+)/(\d+) (.+) were created successfully\.$")


class GermanRedirectSummary(logging.Filter):
    """Says Wagtail's summary of automatically created redirects in German."""

    def filter(self, record: logging.LogRecord) -> bool:
        match = CREATED.match(record.getMessage())
        if match:
            created, added, things = match.groups()
            record.msg = f"{things}: {created} von {added} angelegt."
            record.args = ()
        return True
