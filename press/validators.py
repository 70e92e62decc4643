"""Validation shared by the editor's forms, the blocks and the importer."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["CONTROL_CHARACTERS", "control_characters_refuse"]

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls. Pasted from
# a PDF or a word processor they are invisible in the editor, but XML (the feeds) cannot carry
# most of them and no reader can make sense of any.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_characters_refuse(value) -> None:
    """Raise a ValidationError naming the first control character in `value`, if any."""
    match = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
    if match:
        raise ValidationError(
            _(
                "The text contains an invisible control character (%(character)s), often "
                "picked up when pasting. Delete it, or type the text again."
            ),
            code="control_character",
            params={"character": f"U+{ord(match[0]):04X}"},
        )
