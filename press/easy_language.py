"""A checker for Leichte Sprache (easy-to-read German): it warns, it never blocks.

The rules it knows are the ones a machine can see (Netzwerk Leichte Sprache, BITV 2.0):
short sentences, long compound words split with the Mediopunkt ("Ober·bürger·meister"), no
abbreviations, numbers as digits rather than words. Whether a text is easy to understand
only a reader from the target group can tell; the checker points at what to look at again.

Pure: text in, findings out; no database, no request.
"""

import dataclasses
import re

from django.utils.translation import gettext_lazy as _

# More words than this in one sentence: split it (the rules say one statement per sentence).
SENTENCE_WORDS_MAX = 12
# A word part with more letters than this is, in German, almost always a compound.
WORD_LETTERS_MAX = 13
MEDIOPUNKT = "\u00b7"

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
ABBREVIATIONS = (
    "z. B.",
    "z.B.",
    "d. h.",
    "d.h.",
    "u. a.",
    "u.a.",
    "o. Ä.",
    "bzw.",
    "usw.",
    "etc.",
    "ca.",
    "ggf.",
    "inkl.",
    "evtl.",
    "vgl.",
    "sog.",
    "Nr.",
    "Tel.",
    "Str.",
    "Mio.",
    "Mrd.",
    "Jh.",
)
ABBREVIATION = re.compile(
    "|".join(rf"(?<!\w){re.escape(abbreviation)}" for abbreviation in ABBREVIATIONS)
)
# Two to six capitals ("EU", "ÖPNV", "DRK"): an acronym the reader has to know.
ACRONYM = re.compile(r"(?<![\w\u00b7-])[A-ZÄÖÜ]{2,6}(?![\w])")
UNITS = "zwei|drei|vier|fünf|sechs|sieben|acht|neun"
TENS = "zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig"
NUMBER_WORD = re.compile(
    rf"\b(?:(?:ein|{UNITS})und(?:{TENS})|{UNITS}|zehn|elf|zwölf|(?:drei|vier|fünf|sech|sieb|acht|neun)zehn"
    rf"|{TENS}|hundert|tausend|Millionen|Million|Milliarden|Milliarde)\b",
    re.IGNORECASE,
)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One place the editor should look at again: the rule (`kind`), the words, the advice."""

    kind: str
    excerpt: str
    message: str


def sentences_of(text: str) -> list[str]:
    # An abbreviation's full stop is no sentence end ("z. B. das"): those are findings anyway,
    # so they are joined back before splitting.
    protected = ABBREVIATION.sub(lambda match: match.group(0).replace(".", "\x00"), text)
    return [
        sentence.replace("\x00", ".").strip()
        for sentence in SENTENCE_END.split(protected)
        if sentence.strip()
    ]


def easy_language_check(text: str) -> list[Finding]:
    """What in `text` goes against the rules of Leichte Sprache a machine can see, in order:
    long sentences, long compounds without Mediopunkt, abbreviations, numbers as words."""
    findings: list[Finding] = []
    for sentence in sentences_of(text):
        words = re.findall(r"[\w\u00b7-]+", sentence)
        if len(words) > SENTENCE_WORDS_MAX:
            findings.append(
                Finding(
                    kind="sentence",
                    excerpt=sentence,
                    message=_(
                        "%(count)d words in one sentence: write short sentences (at most "
                        "%(maximum)d words), one statement each."
                    )
                    % {"count": len(words), "maximum": SENTENCE_WORDS_MAX},
                )
            )
    seen: set[str] = set()
    for word in re.findall(r"[\w\u00b7-]+", text):
        parts = re.split(r"[\u00b7-]", word)
        if NUMBER_WORD.fullmatch(word):  # a number, found below as one
            continue
        if any(len(part) > WORD_LETTERS_MAX for part in parts) and word not in seen:
            seen.add(word)
            findings.append(
                Finding(
                    kind="compound",
                    excerpt=word,
                    message=_(
                        "Long word: split compound words with the Mediopunkt (·), "
                        "e.g. Ober·bürger·meister."
                    ),
                )
            )
    for match in [*ABBREVIATION.finditer(text), *ACRONYM.finditer(text)]:
        if match.group(0) not in seen:
            seen.add(match.group(0))
            findings.append(
                Finding(
                    kind="abbreviation",
                    excerpt=match.group(0),
                    message=_("Abbreviation: write the words out, or explain it."),
                )
            )
    for match in NUMBER_WORD.finditer(text):
        if match.group(0) not in seen:
            seen.add(match.group(0))
            findings.append(
                Finding(
                    kind="number",
                    excerpt=match.group(0),
                    message=_("Number as a word: write numbers as digits (3, not drei)."),
                )
            )
    return findings
