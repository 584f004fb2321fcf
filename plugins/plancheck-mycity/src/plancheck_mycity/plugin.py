"""The plugin module the entry point ``mycity`` names: the YAML rule pack plus the Python rule."""

from pathlib import Path

from plancheck import hookimpl
from plancheck.checks.rulepack import rules_from_yaml

from plancheck_mycity.kpi import KpiForm

# Read when the plugin loads: a broken rules.yaml is then reported and the plugin skipped.
YAML_RULES = rules_from_yaml(Path(__file__).with_name("rules.yaml"))


@hookimpl
def plancheck_rules():
    return [*YAML_RULES, KpiForm]
