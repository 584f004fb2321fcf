"""The plan's words that every stage shares: circled numbers, KPI ids, era names, the forms of
「該当なし」 and template blanks (the word lists are data: rules/vocabulary.yaml, rules/eras.yaml)."""

from __future__ import annotations

import re
from functools import cache

from plancheck.api import resources

# --- circled numbers (Unicode facts) -------------------------------------------------------------

#: ①–⑳, then ㉑–㉟ and ㊱–㊿: every circled number Unicode has (Word numbers lists up to 50)
CIRCLED_NUMBERS = (
    "".join(map(chr, range(0x2460, 0x2474)))
    + "".join(map(chr, range(0x3251, 0x3260)))
    + "".join(map(chr, range(0x32B1, 0x32C0)))
)
#: ①–⑳: the circled numbers a plan's items and KPI ids use
CIRCLED = CIRCLED_NUMBERS[:20]


def circled(number: int) -> str | None:
    """「③」 for 3, or None when Unicode has no circled form of ``number`` (0, 51 …)."""
    return CIRCLED_NUMBERS[number - 1] if 0 < number <= len(CIRCLED_NUMBERS) else None


def circled_value(character: str) -> int | None:
    """3 for 「③」, or None for anything that is not one circled number."""
    index = CIRCLED_NUMBERS.find(character) if len(character) == 1 else -1
    return index + 1 if index >= 0 else None


# --- KPI ids ----------------------------------------------------------------------------------

#: 「KPI1」「KPI①」「KPI(1)」: the number is group 1, 2 (circled) or 3
KPI_ID = re.compile(rf"KPI[ ]*(?:(\d{{1,2}})|([{CIRCLED}])|\((\d{{1,2}})\))")


def kpi_number(cell: str) -> int | None:
    """The number of a KPI id written alone in ``cell`` (spaces ignored): 「KPI ①」 → 1."""
    match = KPI_ID.fullmatch(cell.strip().replace(" ", ""))
    if match is None:
        return None
    if match[2]:
        return circled_value(match[2])
    return int(match[1] or match[3])


# --- era names --------------------------------------------------------------------------------


@cache
def era_names() -> tuple[str, ...]:
    """The era names of rules/eras.yaml, oldest first."""
    table = resources.load_checked_yaml("eras.yaml", "eras.schema.json")["eras"]
    return tuple(row["name"] for row in table)


@cache
def era_pattern() -> str:
    """A regex group matching any era name (「(?:令和|平成|昭和|大正)」), longest names first."""
    names = sorted(era_names(), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(name) for name in names) + ")"


@cache
def after_era_pattern() -> str:
    """A lookbehind for 「right after an era name」; one per name, as a lookbehind has one width."""
    return "(?:" + "|".join(f"(?<={re.escape(name)})" for name in era_names()) + ")"


# --- 該当なし and template blanks (rules/vocabulary.yaml) ---------------------------------------


@cache
def _words() -> dict[str, list[str]]:
    words: dict[str, list[str]] = resources.load_checked_yaml(
        "vocabulary.yaml", "vocabulary.schema.json"
    )
    return words


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(word) for word in words) + ")"


@cache
def not_applicable() -> re.Pattern[str]:
    """Finds 「該当なし」 in any of its forms (search text with its spaces removed)."""
    return re.compile(_alternation(_words()["not_applicable"]))


@cache
def _says_nothing() -> re.Pattern[str]:
    words = _words()["not_applicable"] + _words()["says_nothing"]
    return re.compile(_alternation(words) + "[。.]?")


def says_nothing(text: str) -> bool:
    """Whether ``text`` is empty or only 「該当なし。」「特になし」「-」… (white space ignored)."""
    compact = re.sub(r"\s+", "", text)
    return not compact or _says_nothing().fullmatch(compact) is not None


@cache
def confusions() -> tuple[tuple[str, str], ...]:
    """Known confusions, (wrong, right) pairs: 「自律」 written for 「自立」 (rules/vocabulary.yaml)."""
    table: dict[str, str] = resources.load_checked_yaml(
        "vocabulary.yaml", "vocabulary.schema.json"
    ).get("confusions", {})
    return tuple(table.items())


@cache
def placeholder_marks() -> str:
    """Every mark a template blank is written with (「〇○◯●■□△×✕」), for a character class."""
    return "".join(_words()["placeholder_marks"])


@cache
def placeholder_pattern() -> str:
    """A regex for one template blank: two or more marks of one group (「〇〇」「●●」, not 「〇●」)."""
    groups = _words()["placeholder_marks"]
    return "|".join(f"[{re.escape(group)}]{{2,}}" for group in groups)
