"""Alert rules of the follow-up work (docs/design.md §5), run on every write and nightly.

Each rule turns a row into zero or more `Finding`s; `raise_findings` opens one alert
per finding (never twice for the same finding, even if an officer resolved it), and
findings that no longer hold are closed by the system with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import Finding, close_findings, raise_findings
from srbgov.pregnancies.models import (
    Birth,
    InfantDeath,
    Outcome,
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
)
from srbgov.pregnancies.schedule import ScheduleState

#: 孕情消失: past the due date by this many days with no outcome (docs/design.md §5).
DISAPPEARED_AFTER_DAYS = 30
#: 孕情消失: this many visits finding "outcome happened" / "not found", no outcome.
DISAPPEARED_ABSENT_FINDINGS = 2
#: Terminations at this many weeks or more need a verified approval (docs/design.md §5).
APPROVAL_WEEKS = 14
#: Infant deaths are reported within this many hours (docs/design.md §5).
REPORT_HOURS = 24

PREGNANCY_KINDS = (AlertKind.VISIT_OVERDUE, AlertKind.PREGNANCY_DISAPPEARED)


def pregnancy_findings(
    pregnancy: Pregnancy, state: ScheduleState, on: date
) -> list[Finding]:
    """Overdue visits (the latest overdue window names the finding, so a newly missed
    window is a new alert) and 孕情消失."""
    findings: list[Finding] = []
    name = pregnancy.woman.name
    if state.latest_overdue_on is not None and state.overdue_visits > 0:
        findings.append(
            Finding(
                kind=AlertKind.VISIT_OVERDUE,
                area_id=pregnancy.village_id,
                subject_type="pregnancy",
                subject_id=pregnancy.pk,
                key_suffix=state.latest_overdue_on.isoformat(),
                summary=_("%(name)s：逾期未随访 %(n)d 次（截至 %(on)s）")
                % {
                    "name": name,
                    "n": state.overdue_visits,
                    "on": state.latest_overdue_on.isoformat(),
                },
            )
        )
    if pregnancy.status == PregnancyStatus.PREGNANT and pregnancy.due_on is not None:
        late = pregnancy.due_on + timedelta(days=DISAPPEARED_AFTER_DAYS) < on
        absent = state.absent_findings >= DISAPPEARED_ABSENT_FINDINGS
        if late or absent:
            why = (
                _("预产期 %(due)s 已过30天仍无结局")
                % {"due": pregnancy.due_on.isoformat()}
                if late
                else _("%(n)d 次随访未见孕妇或称已有结局，但未登记结局")
                % {"n": state.absent_findings}
            )
            findings.append(
                Finding(
                    kind=AlertKind.PREGNANCY_DISAPPEARED,
                    area_id=pregnancy.village_id,
                    subject_type="pregnancy",
                    subject_id=pregnancy.pk,
                    summary=f"{name}：{why}",
                )
            )
    return findings


def apply_pregnancy_findings(
    pregnancies: Sequence[Pregnancy],
    states: dict[int, ScheduleState],
    on: date,
) -> int:
    """Raise the findings of these pregnancies and close those that no longer hold."""
    findings = [f for p in pregnancies for f in pregnancy_findings(p, states[p.pk], on)]
    raised = raise_findings(findings)
    keep = [f.rule_key for f in findings]
    ids = [p.pk for p in pregnancies]
    close_findings(
        kinds=[AlertKind.VISIT_OVERDUE],
        subject_type="pregnancy",
        subject_ids=ids,
        keep=keep,
        resolution=_("系统：逾期的随访已补录或已有新的逾期提醒，自动关闭。"),
    )
    ended = [p.pk for p in pregnancies if p.status != PregnancyStatus.PREGNANT]
    close_findings(
        kinds=[AlertKind.PREGNANCY_DISAPPEARED],
        subject_type="pregnancy",
        subject_ids=ended,
        keep=keep,
        resolution=_("系统：已登记妊娠结局，自动关闭。"),
    )
    return raised


def outcome_findings(outcome: Outcome) -> list[Finding]:
    if (
        outcome.kind == OutcomeKind.TERMINATION
        and outcome.gestational_weeks >= APPROVAL_WEEKS
        and not outcome.approval_reference
    ):
        pregnancy = outcome.pregnancy
        return [
            Finding(
                kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
                area_id=pregnancy.village_id,
                subject_type="outcome",
                subject_id=outcome.pk,
                summary=_("%(name)s：孕 %(weeks)d 周终止妊娠，无查验/批准文号")
                % {"name": pregnancy.woman.name, "weeks": outcome.gestational_weeks},
            )
        ]
    return []


def birth_findings(birth: Birth) -> list[Finding]:
    if birth.birth_certificate_number:
        return []
    return [
        Finding(
            kind=AlertKind.BIRTH_WITHOUT_CERTIFICATE,
            area_id=birth.village_id,
            subject_type="birth",
            subject_id=birth.pk,
            summary=_("%(name)s %(on)s 所生%(sex)s孩：无出生医学证明编号")
            % {
                "name": birth.mother.name,
                "on": birth.born_on.isoformat(),
                "sex": birth.get_sex_display(),
            },
        )
    ]


def infant_death_findings(death: InfantDeath) -> list[Finding]:
    findings = []
    who = _("%(name)s之子女（%(on)s 出生）") % {
        "name": death.mother.name,
        "on": death.child.birth_on.isoformat(),
    }
    if death.sex == "F":
        findings.append(
            Finding(
                kind=AlertKind.FEMALE_INFANT_DEATH,
                area_id=death.village_id,
                subject_type="infantdeath",
                subject_id=death.pk,
                summary=_("女婴死亡：%(who)s，%(cause)s")
                % {"who": who, "cause": death.cause},
            )
        )
    if death.is_late_report:
        findings.append(
            Finding(
                kind=AlertKind.INFANT_DEATH_LATE_REPORT,
                area_id=death.village_id,
                subject_type="infantdeath",
                subject_id=death.pk,
                summary=_("婴儿死亡 %(hours)d 小时后才报告：%(who)s")
                % {"hours": death.report_delay_hours, "who": who},
            )
        )
    return findings


def raise_all(findings: Iterable[Finding]) -> int:
    return raise_findings(findings)
