"""Spreadsheet exports that a spreadsheet program cannot run: the admin's CSV downloads.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
programs skip before reading such a character) is taken as a formula when a CSV is opened in
Excel or LibreOffice: a journalist's name or a subscriber's address typed as
`=HYPERLINK("https://…", "Klick")` would run on the press office's computer. As OWASP advises
for CSV injection, such a cell gets a leading `'`, which the spreadsheet shows as text.

XLSX needs no such care: Wagtail's export writes every text as a text cell.
"""

from django.utils.encoding import force_str
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell_neutralise(value) -> str:
    """The value as a CSV cell's text, with a `'` before it when it would start a formula."""
    if isinstance(value, list | tuple):
        text = ", ".join(force_str(item) for item in value)
    else:
        text = "" if value is None else force_str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SpreadsheetFormulasNeutralised:
    """For an admin listing with `list_export` (a ModelViewSet's index view, a modeladmin's):
    every CSV cell goes through spreadsheet_cell_neutralise. Wagtail's documented
    `custom_value_preprocess` tries the value classes in order; `object` comes first and names
    only the CSV format, so Wagtail's own preprocessing still shapes the XLSX."""

    custom_value_preprocess = {
        object: {SpreadsheetExportMixin.FORMAT_CSV: spreadsheet_cell_neutralise},
        **SpreadsheetExportMixin.custom_value_preprocess,
    }
