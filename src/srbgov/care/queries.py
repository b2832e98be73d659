"""Reads shared by the care pages and their exports (docs/care.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from srbgov.areas.models import Area
from srbgov.care import eligibility
from srbgov.care.households import household_facts
from srbgov.care.models import (
    BatchStatus,
    BenefitProgram,
    CareHousehold,
    Payment,
    PaymentStatus,
)
from srbgov.people.crypto import identity_cipher


@dataclass(frozen=True)
class EligibleRow:
    household: CareHousehold
    program: BenefitProgram
    qualifies: bool
    reasons: str
    persons: int
    yearly_amount: Decimal
    turns_age_on: date | None  # when "about to qualify"


def eligible(
    households: Iterable[CareHousehold],
    programs: Iterable[BenefitProgram],
    *,
    on: date,
    upcoming: bool = False,
) -> list[EligibleRow]:
    """Who qualifies today and why, or (`upcoming`) who will next calendar year
    because a parent reaches the programme's age. One pass in Python over the
    current care households (the rule is the pure `eligibility.evaluate`)."""
    programs = list(programs)
    rows: list[EligibleRow] = []
    for household in households:
        facts = household_facts(household)
        for program in programs:
            rule = program.rule()
            if upcoming:
                turns = eligibility.about_to_qualify(rule, facts, on=on)
                if turns is None:
                    continue
                decision = eligibility.evaluate(rule, facts, on=turns)
            else:
                decision = eligibility.evaluate(rule, facts, on=on)
                turns = None
                if not decision.qualifies:
                    continue
            rows.append(
                EligibleRow(
                    household,
                    program,
                    decision.qualifies,
                    "；".join(decision.reasons),
                    decision.persons,
                    program.yearly_amount * decision.persons,
                    turns,
                )
            )
    return rows


@dataclass(frozen=True)
class BankRow:
    payee_name: str
    bank_name: str
    account: str
    amount: Decimal
    village: str


def bank_rows(payments: QuerySet[Payment]) -> list[BankRow]:
    """The bank file's rows: the only place account numbers are decrypted (the
    export that sends them is audited, docs/care.md §3)."""
    cipher = identity_cipher()
    return [
        BankRow(
            p.application.payee_name,
            p.application.bank_name,
            cipher.decrypt(p.application.account_encrypted),
            p.amount,
            p.application.household.woman.village.name,
        )
        for p in payments.exclude(status=PaymentStatus.RETURNED)
    ]


@dataclass(frozen=True)
class TotalRow:
    program: str
    township: str
    year: int
    approved: Decimal  # approved batches, each enrolment-year once (first attempt)
    paid: Decimal  # what the bank paid, whichever attempt
    returned: int  # payments the bank returned (each attempt)

    @property
    def outstanding(self) -> Decimal:
        return self.approved - self.paid


def totals(payments: QuerySet[Payment]) -> list[TotalRow]:
    """Approved against paid, by programme, township and year. A retry carries the
    same money as the returned payment it replaces, so approved counts first
    attempts only; paid counts paid payments of any attempt; `outstanding` is what
    is still to pay (returned and not yet retried, or in a batch not yet closed)."""
    rows = payments.exclude(batch__status=BatchStatus.PREPARED).values_list(
        "batch__program__name",
        "application__household__woman__village__parent__name",
        "year",
        "amount",
        "status",
        "retry_of_id",
    )
    approved: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    paid: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    returned: dict[tuple[str, str, int], int] = defaultdict(int)
    for program, township, year, amount, status, retry_of in rows:
        key = (program, township or "", year)
        if retry_of is None:
            approved[key] += amount
        if status == PaymentStatus.PAID:
            paid[key] += amount
        elif status == PaymentStatus.RETURNED:
            returned[key] += 1
    return [
        TotalRow(k[0], k[1], k[2], approved[k], paid[k], returned[k])
        for k in sorted(approved, key=lambda k: (-k[2], k[0], k[1]))
    ]


@dataclass(frozen=True)
class CareFigures:
    households: dict[str, int]  # kind → current care households
    paid_count: int
    paid_amount: Decimal


def care_figures(*, area: Area, year: int) -> CareFigures:
    """What a bulletin says about girl care in `area`: the current care households by
    kind and what was paid for `year` (docs/care.md §5). Two queries."""
    rows = (
        CareHousehold.objects.in_area(area)
        .exclude(kind="")
        .values("kind")
        .annotate(n=Count("id"))
    )
    paid = (
        Payment.objects.in_area(area)
        .filter(year=year, status=PaymentStatus.PAID)
        .aggregate(n=Count("id"), total=Sum("amount"))
    )
    return CareFigures(
        {r["kind"]: r["n"] for r in rows},
        paid["n"] or 0,
        paid["total"] or Decimal(0),
    )
