"""The plugin module the entry point ``tokku`` names: the 評価書 profile and its rules."""

from pathlib import Path

from plancheck import hookimpl
from plancheck.checks.rulepack import profiles_from_yaml

from plancheck_tokku.rules import (
    CumulativeTargetMismatch,
    IndicatorProgressMismatch,
    MissingAnnex,
    ProgressMismatch,
    QuotedFigureMismatch,
)

# Read when the plugin loads: an unreadable profile.yaml is then reported and the plugin skipped.
PROFILES = profiles_from_yaml(Path(__file__).with_name("profile.yaml"))


@hookimpl
def plancheck_profiles():
    return PROFILES


@hookimpl
def plancheck_rules():
    return [
        MissingAnnex,
        ProgressMismatch,
        CumulativeTargetMismatch,
        QuotedFigureMismatch,
        IndicatorProgressMismatch,
    ]
