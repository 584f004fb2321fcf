"""Rule selectors (codes and prefixes in --select, --ignore, the configuration file, suppression
comments) checked against the loaded rules, and the nearest real name for one that is not."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from plancheck.engine.config import COMMAND_LINE, Settings

#: what selects every rule in --select/--ignore and the configuration file; ``all`` in a comment
EVERY_RULE = "ALL"
EVERY_RULE_IN_COMMENTS = "all"
#: at most this many names are suggested, all at the smallest edit distance found
MAX_SUGGESTIONS = 3


def is_known(selector: str, codes: Collection[str], *, prefix: bool = True) -> bool:
    """Whether ``selector`` is a rule code, or (``prefix``) the start of one."""
    if selector in codes:
        return True
    return prefix and any(code.startswith(selector) for code in codes)


def unknown(
    selectors: Iterable[str], codes: Collection[str], *, prefix: bool = True, every: str = ""
) -> Iterator[str]:
    """The selectors that match no rule (``every``: the word that selects every rule)."""
    for selector in selectors:
        if not (every and selector == every) and not is_known(selector, codes, prefix=prefix):
            yield selector


def nearest_code(
    selector: str, codes: Collection[str], *, prefix: bool = True, every: str = ""
) -> list[str]:
    """The real codes (or prefixes) nearest ``selector``: ``PC530`` → ``PC503``, ``PX`` → ``PC``.

    A selector as long as a code is compared with codes only; a shorter one with their prefixes
    too; where whole codes are wanted, a prefix suggests the codes it starts. The same text in
    capitals wins outright (``pc501`` → ``PC501``)."""
    if selector.upper() != selector and is_known(selector.upper(), codes, prefix=prefix):
        return [selector.upper()]
    if not prefix:  # a prefix where whole codes are wanted: the codes it starts
        starting = sorted(code for code in codes if code.startswith(selector))
        if starting:
            return starting[:MAX_SUGGESTIONS]
    candidates = set(codes)
    if prefix and len(selector) < max((len(code) for code in codes), default=0):
        candidates |= {code[:end] for code in codes for end in range(2, len(code))}
    if every:
        candidates.add(every)
    return nearest(selector, candidates)


def nearest(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates at the smallest edit distance from ``word`` (a swap of two neighbouring
    letters counts as one edit), if that is small for the word's length; sorted, at most
    :data:`MAX_SUGGESTIONS`."""
    scored = sorted((_distance(word, candidate), candidate) for candidate in set(candidates))
    if not scored:
        return []
    best = scored[0][0]
    if best == 0 or best > max(1, len(word) // 3):
        return []
    return [candidate for distance, candidate in scored if distance == best][:MAX_SUGGESTIONS]


def _distance(first: str, second: str) -> int:
    """Edits (insert, delete, replace, swap neighbours) that turn ``first`` into ``second``."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, letter in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)
            )
            if i > 1 and j > 1 and letter == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


#: the settings that name rules, their configuration key and option (by Settings field)
_NAMED_BY = {
    "select": ("select", "--select"),
    "extend_select": ("extend-select", "--extend-select"),
    "ignore": ("ignore", "--ignore"),
    "severity": ("severity", "--severity"),
    "per_file_ignores": ("per-file-ignores", "per-file-ignores"),  # in files only
}


def unknown_in_settings(settings: Settings, codes: Collection[str]) -> Iterator[Unknown]:
    """Every selector of ``settings`` that matches no rule, with where it was given: the option
    (``--select``) or the configuration file and key (``plancheck.yaml: select``).

    ``--severity``/``severity`` take whole codes (a prefix there would change nothing)."""
    for field, (key, option) in _NAMED_BY.items():
        value = getattr(settings, field)
        whole = field == "severity"
        if field == "per_file_ignores":
            selectors = [code for group in value.values() for code in group]
        else:
            selectors = list(value)
        origin = settings.origins.get(field, COMMAND_LINE)
        where = option if origin == COMMAND_LINE else f"{origin}: {key}"
        every = "" if whole else EVERY_RULE
        for selector in unknown(selectors, codes, prefix=not whole, every=every):
            yield Unknown(where, selector, nearest_code(selector, codes, prefix=not whole))


@dataclass(frozen=True)
class Unknown:
    """A selector that matches no rule, where it was given, and the real codes nearest it."""

    where: str
    selector: str
    nearest: list[str]
