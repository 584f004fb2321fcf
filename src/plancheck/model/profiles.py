"""The format as data: profiles (document types and generations) and measure kinds (what a 5-2 block
applies), loaded from YAML, validated, and chosen for a plan by what explains most of it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from plancheck.api import resources, vocabulary
from plancheck.api.hookspecs import hookimpl

if TYPE_CHECKING:
    from plancheck.parsing.ast import Plan


class ProfileError(Exception):
    """A profile or measure-kind definition that is invalid (bad YAML shape, unknown parent)."""


# --- titles ---------------------------------------------------------------------------------

# Harmless wording differences between filings (plan-format.md §1).
_TITLE_VARIANTS = (("にかかる", "に係る"), ("地域再生計画の認定", "地域再生計画認定"))
_TITLE_NOISE = re.compile(r"[\s:：()（）「」・、,.]")
#: how alike two titles must be to be the same heading when neither starts with the other
#: (an OCR slip or a wrong term such as 重要事業評価指標 for 重要業績評価指標)
SIMILAR = 0.75


@lru_cache(maxsize=4096)  # the same titles recur in every plan and every profile
def comparable(title: str) -> str:
    """A title without spacing, brackets and punctuation, harmless variants folded."""
    for variant, official in _TITLE_VARIANTS:
        title = title.replace(variant, official)
    return _TITLE_NOISE.sub("", title)


def inline_content(title: str, names: Iterable[str]) -> str:
    """What a heading line carries after its title (「5-3-1 … 該当なし。」), or "". A title
    written a little off (a wrong term, a typo: reported by other rules) still ends where the
    official one would, so its content is not mistaken for none."""
    actual = comparable(title)
    officials = [comparable(name) for name in names]
    for official in officials:
        if actual.startswith(official):
            return actual[len(official) :]
    rests = [actual[length:] for o in officials if (length := misspelt_prefix(actual, o))]
    return min(rests, key=len, default="")


# --- near misses ----------------------------------------------------------------------------


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance: the characters to insert, delete or replace (for short names)."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _allowed_distance(official: str) -> int:
    """How many characters a name may be off and still be taken for it: none under three
    characters (【概要】 and 【概況】 are different words), one under six, else two."""
    return 0 if len(official) < 3 else 1 if len(official) < 6 else 2


def _confused(written: str, official: str) -> bool:
    """Whether one known confusion (rules/vocabulary.yaml: 自律 for 自立) turns written into official."""
    return any(
        wrong in written and written.replace(wrong, right) == official
        for wrong, right in vocabulary.confusions()
    )


def misspelling(written: str, official: str) -> bool:
    """Whether ``written`` is not ``official`` but a near miss of it (both :func:`comparable`
    keys or label names): one known confusion away, or one or two characters off."""
    if written == official:
        return False
    if _confused(written, official):
        return True
    return edit_distance(written, official) <= _allowed_distance(official)


def misspelt_prefix(written: str, official: str) -> int:
    """The length of the start of ``written`` that is a near miss of ``official`` (the rest of a
    heading line is its content), the longest of the closest; 0 when none is."""
    allowed = _allowed_distance(official)
    best = (allowed + 1, 0)
    for length in range(max(1, len(official) - allowed), len(official) + allowed + 1):
        if length > len(written):
            break
        start = written[:length]
        distance = 0 if _confused(start, official) else edit_distance(start, official)
        if start != official and distance <= best[0]:
            best = (distance, length)
    return best[1] if best[0] <= allowed else 0


# --- the model ------------------------------------------------------------------------------


class _Titled:
    """A section or item known by its title and the variants of it that plans write."""

    title: str
    variants: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.variants)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The names as :func:`comparable` keys."""
        return tuple(comparable(name) for name in self.names)

    def is_named_by(self, title_key: str) -> bool:
        """Whether a heading whose title has this :func:`comparable` key is this one."""
        return title_key.startswith(self.keys)


@dataclass(frozen=True)
class Heading(_Titled):
    """A section the profile expects: its number, official title and accepted variants."""

    number: str
    title: str
    required: bool = True
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemSpec(_Titled):
    """An item of a measure block, matched by title: what it is called and the role it plays."""

    title: str
    variants: tuple[str, ...] = ()
    required: bool = True
    #: project_period, cost, donation_estimate, statements, kpi, evaluation (or None)
    role: str | None = None
    statement_set: str | None = None
    #: the item repeats the block's support-measure code (⑦ 「…に関する事業【A3007】」)
    states_code: bool = False

    def likeness(self, title_key: str) -> float:
        """How alike the start of a title (as a :func:`comparable` key) is to the closest name."""
        return max(SequenceMatcher(None, title_key[: len(k)], k).ratio() for k in self.keys)


@dataclass(frozen=True, eq=False)
class MeasureKind:
    """A special measure a 5-2 block applies (rules/measures/*.yaml)."""

    name: str
    description: Mapping[str, str]
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    section_divisions: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    statement_sets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Marker:
    """A pattern whose presence speaks for a profile, with its weight and what it is."""

    pattern: re.Pattern[str]
    weight: int
    name: str


@dataclass(frozen=True, eq=False)
class Profile:
    """A document format: how to recognise it and what it must contain."""

    name: str
    description: Mapping[str, str]
    document_type: str
    identify_patterns: tuple[re.Pattern[str], ...]
    identify_minimum: int
    markers: tuple[Marker, ...]
    sections: tuple[Heading, ...]
    #: for each divided section, the accepted lists of sub-sections (() = undivided)
    divisions: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    #: role → section numbers in order of preference
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    statement_sets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: the measure kinds a 5-2 block of this profile may be
    kinds: tuple[MeasureKind, ...] = ()
    #: a document without measure blocks: the one kind of the items under the measures section
    fixed_kind: MeasureKind | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: how many profiles it extends (the more general profile wins a tie)
    depth: int = 0
    #: the bracket labels the format writes besides the statement sets (数値目標, 検証時期 …)
    labels: tuple[str, ...] = ()
    #: the short human name by language (「2021年度以降の様式」), {} when the YAML gives none
    title: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The human name in ``lang`` (else Japanese), the profile's name when it has none."""
        return self.title.get(lang) or self.title.get("ja") or self.name

    def heading(self, number: str) -> Heading | None:
        return self._headings.get(number)

    @cached_property
    def _headings(self) -> dict[str, Heading]:
        return {heading.number: heading for heading in reversed(self.sections)}

    def statement_set(self, name: str, kind: MeasureKind) -> Mapping[str, Any]:
        """The statement set ``name`` as this generation asks for it (else the kind's default)."""
        return self.statement_sets.get(name) or kind.statement_sets.get(name) or {}

    def kind_by_code(self, code: str) -> MeasureKind | None:
        return next((kind for kind in self.kinds if code in kind.codes), None)

    @cached_property
    def statement_names(self) -> frozenset[str]:
        """Every statement label of this profile's statement sets and its kinds' (自立性 …)."""
        sets = [*self.statement_sets.values()]
        for kind in (*self.kinds, *((self.fixed_kind,) if self.fixed_kind else ())):
            sets.extend(kind.statement_sets.values())
        return frozenset(
            name
            for settings in sets
            for key in ("required", "optional")
            for name in settings.get(key, ())
        ) | frozenset(name for s in sets for name in s.get("at_least", {}).get("of", ()))


# --- loading --------------------------------------------------------------------------------


def builtin_definitions() -> list[dict[str, Any]]:
    """Every profile under rules/profiles (a new YAML file there is a new profile)."""
    return [resources.load_yaml(path) for path in resources.list_yaml("profiles")]


def builtin_measure_kinds() -> list[dict[str, Any]]:
    """Every measure kind under rules/measures (a new YAML file there is a new kind)."""
    return [resources.load_yaml(path) for path in resources.list_yaml("measures")]


@hookimpl
def plancheck_profiles() -> list[dict[str, Any]]:
    return builtin_definitions()


@hookimpl
def plancheck_measure_kinds() -> list[dict[str, Any]]:
    return builtin_measure_kinds()


def validate_definition(definition: Any, schema: str = "profile.schema.json") -> None:
    """Raise ProfileError naming the offending key if ``definition`` breaks its schema."""
    problem = resources.schema_error(definition, schema)
    if problem:
        name = definition.get("name", "?") if isinstance(definition, dict) else "?"
        what = "measure kind" if schema == "measure.schema.json" else "profile"
        raise ProfileError(f"{what} {name!r}: {problem}")


def build_measure_kinds(
    definitions: Iterable[Any], on_error: Callable[[ProfileError], None] | None = None
) -> list[MeasureKind]:
    """Validate measure-kind definitions; an invalid one raises, or goes to ``on_error``."""
    kinds: dict[str, MeasureKind] = {}
    for definition in definitions:
        try:
            validate_definition(definition, "measure.schema.json")
        except ProfileError as error:
            if on_error is None:
                raise
            on_error(error)
            continue
        kinds[definition["name"]] = _kind(definition)
    return list(kinds.values())


def build_profiles(
    definitions: Iterable[dict[str, Any]],
    kinds: Iterable[MeasureKind] | None = None,
    on_error: Callable[[ProfileError], None] | None = None,
) -> dict[str, Profile]:
    """Validate definitions, resolve ``extends`` and return profiles by name.

    ``kinds`` are the measure kinds known to the run (the built-in ones when None). Without
    ``on_error`` an invalid definition raises :class:`ProfileError`; with it, the error is handed
    over and that profile is skipped (a broken plugin must not stop a run).
    """
    known = list(kinds) if kinds is not None else build_measure_kinds(builtin_measure_kinds())
    raw: dict[str, dict[str, Any]] = {}
    profiles: dict[str, Profile] = {}
    for definition in definitions:
        try:
            validate_definition(definition)
        except ProfileError as error:
            if on_error is None:
                raise
            on_error(error)
            continue
        raw[definition["name"]] = definition
    for name in raw:
        try:
            resolved, depth = _resolve(name, raw, ())
            profiles[name] = _build(resolved, depth, known)
        except ProfileError as error:
            if on_error is None:
                raise
            on_error(error)
    return profiles


def missing_statement_sets(profile: Profile) -> list[str]:
    """What this profile cannot check: an item of one of its measure kinds names a statement set
    that neither the profile nor the kind defines (PC401/PC402 would have nothing to ask for)."""
    missing = []
    for kind in profile.kinds:
        for item in kind.items:
            if item.statement_set and not profile.statement_set(item.statement_set, kind):
                missing.append(
                    f"profile {profile.name!r}: measure kind {kind.name!r} item {item.title!r} "
                    f"names statement set {item.statement_set!r}, which neither defines"
                )
    return missing


def _resolve(
    name: str, raw: Mapping[str, dict[str, Any]], seen: tuple[str, ...]
) -> tuple[dict[str, Any], int]:
    if name in seen:
        raise ProfileError(f"profile {name!r}: 'extends' loops through {' → '.join(seen)}")
    definition = raw.get(name)
    if definition is None:
        raise ProfileError(f"profile {seen[-1]!r} extends unknown profile {name!r}")
    parent = definition.get("extends")
    if parent is None:
        return dict(definition), 0
    inherited, depth = _resolve(parent, raw, (*seen, name))
    merged = {**inherited, **definition}
    # roles are named one by one: a child names the roles it places elsewhere, inherits the rest
    merged["roles"] = {**inherited.get("roles", {}), **definition.get("roles", {})}
    if "title" not in definition:
        merged.pop("title", None)  # a title names one format, never the one it extends
    if "statements" in definition and "statement_sets" not in definition:
        merged.pop("statement_sets", None)  # the older key of the child wins over the parent's
    return merged, depth + 1


def _build(definition: dict[str, Any], depth: int, known: list[MeasureKind]) -> Profile:
    detection = definition.get("detection", {"identify": {"minimum": 1, "patterns": []}})
    omitted = set(definition.get("without_sections", []))
    wanted = definition.get("measures", {}).get("kinds")
    kinds = tuple(kind for kind in known if wanted is None or kind.name in wanted)
    roles = {role: tuple(numbers) for role, numbers in definition.get("roles", {}).items()}
    fixed = None
    if "items" in definition:  # a document type with one fixed list of items (no measure blocks)
        items = definition["items"]
        fixed = MeasureKind(
            name=definition["name"],
            description=definition["description"],
            codes=(),
            labels=(),
            items=tuple(
                ItemSpec(entry["title"], required=entry.get("required", True))
                for entry in items["list"]
            ),
        )
        roles.setdefault("measures", (items["section"],))
    return Profile(
        name=definition["name"],
        description=definition["description"],
        title=definition.get("title", {}),
        document_type=definition.get("document_type", definition["name"]),
        identify_patterns=tuple(_compile(p) for p in detection["identify"]["patterns"]),
        identify_minimum=detection["identify"]["minimum"],
        markers=tuple(
            Marker(_compile(m["pattern"]), m["weight"], m.get("name", m["pattern"]))
            for m in detection.get("markers", [])
        ),
        sections=tuple(
            _heading(entry)
            for entry in definition.get("sections", [])
            if entry["number"] not in omitted
        ),
        divisions=_divisions(definition.get("divisions", {})),
        roles=roles,
        statement_sets=_statement_sets(definition),
        kinds=kinds,
        fixed_kind=fixed,
        settings=definition.get("settings", {}),
        depth=depth,
        labels=tuple(definition.get("labels", ())),
    )


def _statement_sets(definition: Mapping[str, Any]) -> dict[str, Any]:
    """``statement_sets``; a profile written before them gives ``statements`` (its ``item`` is no
    longer needed: the statements item is found by title), read as the set ``leading``."""
    if "statement_sets" in definition or "statements" not in definition:
        return dict(definition.get("statement_sets", {}))
    older = {key: value for key, value in definition["statements"].items() if key != "item"}
    return {"leading": older}


def _kind(definition: Mapping[str, Any]) -> MeasureKind:
    return MeasureKind(
        name=definition["name"],
        description=definition["description"],
        codes=tuple(definition.get("codes", ())),
        labels=tuple(definition.get("labels", ())),
        items=tuple(
            ItemSpec(
                title=entry["title"],
                variants=tuple(entry.get("variants", ())),
                required=entry.get("required", True),
                role=entry.get("role"),
                statement_set=entry.get("statement_set"),
                states_code=entry.get("states_code", False),
            )
            for entry in definition["items"]
        ),
        section_divisions=_divisions(definition.get("section_divisions", {})),
        statement_sets=definition.get("statement_sets", {}),
    )


def _divisions(data: Mapping[str, Any]) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {number: tuple(tuple(choice) for choice in choices) for number, choices in data.items()}


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ProfileError(f"invalid pattern {pattern!r}: {error}") from error


def _heading(entry: Mapping[str, Any]) -> Heading:
    return Heading(
        entry["number"],
        entry["title"],
        entry.get("required", True),
        tuple(entry.get("variants", ())),
    )


# --- detection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One reason a profile explains (or fails to explain) part of the document."""

    kind: str  # "marker", "sections" (headings it names), "foreign" (headings it does not know)
    detail: str
    points: int


@dataclass(frozen=True)
class Candidate:
    """A profile that identified the document, with its score and the evidence for it."""

    profile: Profile
    score: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Detection:
    """The chosen profile (None: not a document any profile knows) and the candidates, best first."""

    profile: Profile | None
    candidates: tuple[Candidate, ...] = ()
    #: the best score was shared: the most general of those profiles was chosen
    tie: tuple[str, ...] = ()


def detect(profiles: Mapping[str, Profile], plan: Plan) -> Detection:
    """The profile that explains most of the plan: its headings (numbers with their titles), its
    markers (KPI table shapes, labels, wording); a tie goes to the most general profile (the one
    the others extend), never to the newest."""
    from plancheck.parsing.ast import full_text

    text = plan.derived(full_text)
    hits: dict[str, bool] = {}  # profiles share most patterns: search each once

    def found(pattern: re.Pattern[str]) -> bool:
        if pattern.pattern not in hits:
            hits[pattern.pattern] = pattern.search(text) is not None
        return hits[pattern.pattern]

    headings: dict[str, str] = {}  # number → comparable title, the first of each number
    for section in plan.iter_sections():
        headings.setdefault(section.number, comparable(section.title))
    candidates = []
    for profile in profiles.values():
        if sum(map(found, profile.identify_patterns)) < profile.identify_minimum:
            continue
        evidence = [
            Evidence("marker", m.name, m.weight) for m in profile.markers if found(m.pattern)
        ]
        blocks = tuple(n + "-" for n in profile.roles.get("measures", ()))  # 5-2-1, 5-2-2 …
        named: list[str] = []
        retitled: list[str] = []  # 4-1 地域の現状 is not the 4-1 構造的な課題 of another format
        foreign: list[str] = []
        for number, key in headings.items():
            heading = profile.heading(number)
            if heading is not None:
                (named if heading.is_named_by(key) else retitled).append(number)
            elif profile.sections and not number.startswith(blocks):
                foreign.append(number)
        for kind, numbers, sign in (
            ("sections", named, 1),
            ("retitled", retitled, -1),
            ("foreign", foreign, -1),
        ):
            if numbers:
                evidence.append(Evidence(kind, " ".join(numbers), sign * len(numbers)))
        score = sum(e.points for e in evidence)
        candidates.append(Candidate(profile, score, tuple(evidence)))
    if not candidates:
        return Detection(None)
    candidates.sort(key=lambda c: (-c.score, c.profile.depth, c.profile.name))
    best = candidates[0]
    tied = tuple(c.profile.name for c in candidates[1:] if c.score == best.score)
    return Detection(best.profile, tuple(candidates), tied)
