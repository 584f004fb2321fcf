"""Findings about the run itself: a rule that raised is reported, never dropped (PC000); a
suppression comment that silences nothing is reported (PC002)."""

from __future__ import annotations

from collections.abc import Iterator

from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.parsing import directives
from plancheck.parsing.ast import Plan, Span


class InternalError(Rule):
    """ルールの実行中に内部エラーが発生した (a rule raised an exception: its result is missing).

    Why: a rule that fails silently would let a defective plan pass as clean. The linter reports
    the failure as this finding instead, and ``plancheck check`` ends with exit code 2 (not 0 or
    1), so a batch never takes a missing check for a passed one. It is a bug in plancheck or in
    a plugin's rule: report it with the file that caused it. This rule is reported by the linter
    itself when another rule raises, so its ``check`` finds nothing on its own.

    Source: plancheck's promise to never pass silently (README, exit codes).

    Failing example (any plan on which a rule raises)::

        地域再生計画

    Passing example (the same plan when every rule runs to its end)::

        地域再生計画
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

    Why: a ``<!-- plancheck: disable=… -->`` comment left behind after the problem was fixed hides
    the next occurrence of that problem. The rule runs after every other rule (it reads their
    findings) and before the filters apply the comments.

    Failing example (line 2 has no template blank)::

        <!-- plancheck: disable=PC501 -->
        みどり野市の全域

    Passing example::

        <!-- plancheck: disable=PC501 -->
        ウ 事業実施期間 年 月 日から 年 月 日まで
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


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [InternalError, UnusedSuppression]
