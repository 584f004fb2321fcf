"""Findings about the run itself: a rule that raised is reported, never dropped (PC000); a
suppression comment that silences nothing is reported (PC002), one that names a code no rule has
is a mistake in use (PC005)."""

from __future__ import annotations

from collections.abc import Iterator

from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.parsing import directives
from plancheck.parsing.ast import Plan, Span


class InternalError(Rule):
    """ルールの実行中に内部エラーが発生した (a rule raised an exception: its result is missing).

    Its documentation, in Japanese and English, is rules/docs/PC000.yaml
    (``plancheck rule PC000``).

    The linter reports it itself when another rule raises, so its ``check`` finds nothing on
    its own.
    """

    code = "PC000"
    name = "internal-error"
    severity = "error"
    needs_profile = False

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        return iter(())

    def failed(self, context: Context, rule: str, error: BaseException) -> Finding:
        """The finding for ``rule`` having raised ``error`` (the detail cut to a readable size)."""
        detail = f"{type(error).__name__}: {error}"
        if len(detail) > 200:
            detail = detail[:200] + "…"
        return self.report(context, Span(1), rule=rule, detail=detail)


class UnusedSuppression(Rule):
    """使われていない抑制コメント (a suppression comment that silences nothing).

    Its documentation, in Japanese and English, is rules/docs/PC002.yaml
    (``plancheck rule PC002``).
    """

    code = "PC002"
    name = "unused-suppression"
    severity = "info"
    needs_profile = False
    after_checks = True

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if not plan.suppressions:
            return
        _, used = directives.apply(context.findings, plan.suppressions)
        for directive, codes in zip(plan.suppressions, used, strict=True):
            if not codes:
                yield self.report(context, directive.span, codes=",".join(directive.codes))


class UnknownSuppressionCode(Rule):
    """抑制コメントに存在しないルールコード (a suppression comment names a code no rule has).

    Its documentation, in Japanese and English, is rules/docs/PC005.yaml
    (``plancheck rule PC005``).

    Only the linter knows the loaded rules' codes, so it reports this rule itself, whatever the
    selection (a mistaken code is a mistake in use, exit 2); its ``check`` finds nothing on its
    own.
    """

    code = "PC005"
    name = "unknown-suppression-code"
    severity = "error"
    needs_profile = False

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        return iter(())

    def unknown(self, context: Context, span: Span, code: str, nearest: list[str]) -> Finding:
        """The finding for ``code`` in the comment at ``span``, with the real codes nearest it."""
        if nearest:
            return self.report(context, span, "nearest", code=code, nearest=", ".join(nearest))
        return self.report(context, span, code=code)


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [InternalError, UnusedSuppression, UnknownSuppressionCode]
