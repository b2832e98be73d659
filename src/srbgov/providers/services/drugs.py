"""The termination-drug ledger (终止妊娠药品购销台账): purchases, stock, real-name
dispensing by prescription at licensed facilities. Provincial rules on the ledger of
mifepristone and misoprostol; a sale at a retail pharmacy is itself a finding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.providers.models import (
    DrugDispensing,
    DrugItem,
    DrugPurchase,
    Facility,
    FacilityStatus,
)
from srbgov.providers.services.realname import county_of, real_name

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from srbgov.accounts.models import User


def drugs_for(area: Area) -> QuerySet[DrugItem]:
    """The national pair plus what the area's county added."""
    return DrugItem.objects.filter(Q(area__isnull=True) | Q(area=county_of(area)))


@dataclass(frozen=True)
class StockLine:
    drug: DrugItem
    purchased: int
    dispensed: int

    @property
    def stock(self) -> int:
        return self.purchased - self.dispensed


def stock_of(facility: Facility) -> list[StockLine]:
    """Stock per drug = all purchases − all dispensing (two grouped queries)."""
    bought = dict(
        DrugPurchase.objects.filter(facility=facility)
        .values_list("drug")
        .annotate(n=Sum("quantity"))
    )
    given = dict(
        DrugDispensing.objects.filter(facility=facility)
        .values_list("drug")
        .annotate(n=Sum("quantity"))
    )
    return [
        StockLine(drug, bought.get(drug.pk, 0), given.get(drug.pk, 0))
        for drug in drugs_for(facility.area)
        if drug.pk in bought or drug.pk in given
    ]


def _check_drug(facility: Facility, drug: DrugItem) -> None:
    if not drugs_for(facility.area).filter(pk=drug.pk).exists():
        raise ValidationError({"drug": ["该药品不在本县的终止妊娠药品目录中。"]})


@transaction.atomic
def add_drug_item(
    *, by: User, county: Area, name: str, specification: str = "", unit: str = "盒"
) -> DrugItem:
    """The county adds a drug to its ledger list."""
    if county.level != AreaLevel.COUNTY or not by.scope.contains(county):
        raise ValidationError(_("只有县级可以增加药品目录。"))
    if drugs_for(county).filter(name=name.strip()).exists():
        raise ValidationError({"name": ["目录中已有该药品。"]})
    item = DrugItem(
        area=county, name=name.strip(), specification=specification.strip(), unit=unit
    )
    item.full_clean()
    item.save()
    record(user=by, action=AuditAction.CREATE, obj=item)
    return item


@transaction.atomic
def record_purchase(
    *,
    by: User,
    facility: Facility,
    drug: DrugItem,
    quantity: int,
    purchased_on: date,
    supplier: str,
    batch_number: str = "",
) -> DrugPurchase:
    _check_drug(facility, drug)
    if quantity <= 0:
        raise ValidationError({"quantity": ["数量必须大于0。"]})
    if purchased_on > timezone.localdate():
        raise ValidationError({"purchased_on": ["购进日期不能晚于今天。"]})
    purchase = DrugPurchase(
        facility=facility,
        drug=drug,
        quantity=quantity,
        purchased_on=purchased_on,
        supplier=supplier.strip(),
        batch_number=batch_number.strip(),
        recorded_by=by,
    )
    purchase.full_clean()
    purchase.save()
    record(user=by, action=AuditAction.CREATE, obj=purchase)
    return purchase


@transaction.atomic
def record_dispensing(
    *,
    by: User,
    facility: Facility,
    drug: DrugItem,
    quantity: int,
    dispensed_on: date,
    woman_name: str,
    id_number: str,
    prescription_number: str = "",
    prescriber: str = "",
) -> DrugDispensing:
    """Real-name dispensing. At a licensed facility it needs a prescription and stock;
    a sale recorded at a retail pharmacy is saved as found and raises an alert."""
    _check_drug(facility, drug)
    if quantity <= 0:
        raise ValidationError({"quantity": ["数量必须大于0。"]})
    if dispensed_on > timezone.localdate():
        raise ValidationError({"dispensed_on": ["发药日期不能晚于今天。"]})
    if not facility.is_pharmacy:
        if facility.status != FacilityStatus.OPEN:
            raise ValidationError(_("该机构不在正常执业状态，不能发药。"))
        if not prescription_number.strip():
            raise ValidationError({"prescription_number": ["请填写处方编号。"]})
        Facility.objects.select_for_update().get(pk=facility.pk)  # serialise stock
        line = next((s for s in stock_of(facility) if s.drug.pk == drug.pk), None)
        available = line.stock if line else 0
        if quantity > available:
            raise ValidationError(
                {"quantity": [f"库存不足：当前库存 {available}{drug.unit}。"]}
            )
    given = DrugDispensing(
        facility=facility,
        drug=drug,
        quantity=quantity,
        dispensed_on=dispensed_on,
        prescription_number=prescription_number.strip(),
        prescriber=prescriber.strip(),
        recorded_by=by,
    )
    real_name(name=woman_name, id_number=id_number).apply(given)
    given.full_clean()
    given.save()
    record(user=by, action=AuditAction.CREATE, obj=given)
    if facility.is_pharmacy:
        raise_alert(
            kind=AlertKind.DRUG_SOLD_AT_PHARMACY,
            area=facility.area,
            subject_type="providers.drugdispensing",
            subject_id=given.pk,
            summary=_("%(facility)s 销售%(drug)s %(n)d%(unit)s（%(masked)s）")
            % {
                "facility": facility.name,
                "drug": drug.name,
                "n": quantity,
                "unit": drug.unit,
                "masked": given.id_number_masked,
            },
        )
    return given
