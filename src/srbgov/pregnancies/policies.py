"""Visit-schedule policies as data: which policy applies where, and editing them.

docs/design.md §5 ("each is policy data"): a township's own policy wins over its county's; with
neither, the seed's (湫坡头镇 plan §四(二)3) applies. The county officer edits them,
starting from one of the two built-in policies (`srbgov.schedules.BUILTIN_POLICIES`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.pregnancies.models import SchedulePolicy
from srbgov.schedules import (
    BUILTIN_POLICIES,
    NATIONAL,
    SEED,
    PolicyError,
    policy_from_dict,
    policy_to_dict,
)
from srbgov.schedules import SchedulePolicy as Policy

if TYPE_CHECKING:
    from srbgov.accounts.models import User

DEFAULT_POLICY = SEED

BUILTIN_LABELS = {
    SEED.key: gettext_lazy(
        "湫坡头镇方案：持证至怀孕每月1次，孕1–4月共2次，4–8月每月3次，9月至分娩每月4次"
    ),
    NATIONAL.key: gettext_lazy(
        "国家基本公共卫生服务：孕期5次产前检查、产后7天访视、产后42天检查"
    ),
}

# PolicyError codes (srbgov.schedules) in the users' words.
ERROR_MESSAGES = {
    "wrong_type": gettext_lazy("类型不正确"),
    "missing_field": gettext_lazy("缺少此项"),
    "unexpected_field": gettext_lazy("不认识的项目（请检查拼写）"),
    "unknown_format": gettext_lazy("格式版本不正确"),
    "bad_key": gettext_lazy("编号只能用小写字母、数字和下划线"),
    "reserved_key": gettext_lazy("编号与系统保留名称冲突"),
    "out_of_range": gettext_lazy("数值超出允许范围"),
    "bad_range": gettext_lazy("结束日早于开始日"),
    "bad_period": gettext_lazy("周期设置不正确"),
    "bad_anchor": gettext_lazy("起算点只能是 outcome 或 discharge"),
    "open_end_needs_period": gettext_lazy("不设结束日的规则必须设置周期天数"),
    "open_end_not_last": gettext_lazy("只有最后一条规则可以不设结束日"),
    "overlap": gettext_lazy("规则必须按时间先后排列且不能重叠"),
    "duplicate_key": gettext_lazy("窗口编号重复"),
}


def policy_label(policy: Policy) -> str:
    label = BUILTIN_LABELS.get(policy.key)
    return str(label) if label is not None else policy.name


def policy_error_message(error: PolicyError) -> str:
    reason = str(ERROR_MESSAGES.get(error.code, _("规则不正确")))
    if error.path:
        return _("随访规则有误（%(path)s）：%(reason)s") % {
            "path": error.path,
            "reason": reason,
        }
    return _("随访规则有误：%(reason)s") % {"reason": reason}


class PolicyResolver:
    """Effective policy per village, reading each stored policy once (nightly job)."""

    def __init__(self) -> None:
        self._stored: dict[int, Policy] = {}
        for row in SchedulePolicy.objects.all():
            try:
                self._stored[row.area_id] = policy_from_dict(row.data)
            except PolicyError:
                continue  # validated on save; a hand-edited bad row falls back
        self._by_village: dict[int, Policy] = {}

    def for_village(self, village: Area) -> Policy:
        found = self._by_village.get(village.pk)
        if found is None:
            found = DEFAULT_POLICY
            for area_id in _area_chain_ids(village):
                if area_id in self._stored:
                    found = self._stored[area_id]
                    break
            self._by_village[village.pk] = found
        return found


def _area_chain_ids(village: Area) -> list[int]:
    """The village, its township and county ids, nearest first (no query if loaded)."""
    ids = [village.pk]
    node = village
    while node.parent_id is not None:
        ids.append(node.parent_id)
        node = node.parent if node.parent else Area.objects.get(pk=node.parent_id)
    return ids


def policy_for_village(village: Area) -> Policy:
    """The policy a pregnancy followed in `village` is scheduled under."""
    rows = {
        row.area_id: row.data
        for row in SchedulePolicy.objects.filter(area_id__in=_area_chain_ids(village))
    }
    for area_id in _area_chain_ids(village):
        if area_id in rows:
            try:
                return policy_from_dict(rows[area_id])
            except PolicyError:
                break
    return DEFAULT_POLICY


def parse_policy(data: object) -> Policy:
    """Validate the JSON of an edited policy; ValidationError in Chinese if bad."""
    try:
        return policy_from_dict(data)
    except PolicyError as error:
        raise ValidationError({"data": [policy_error_message(error)]}) from None


@transaction.atomic
def save_policy(*, by: User, area: Area, data: object) -> SchedulePolicy:
    """Store the policy of a county or township (the county officer's edit) and
    reschedule the pregnancies it governs."""
    if area.level == AreaLevel.VILLAGE:
        raise ValidationError({"area": [_("随访规则只能按县或乡镇设置。")]})
    if not by.scope.contains(area):
        raise ValidationError({"area": [_("只能设置本辖区的随访规则。")]})
    policy = parse_policy(data)
    row = SchedulePolicy.objects.select_for_update().filter(
        area=area
    ).first() or SchedulePolicy(area=area)
    created = row.pk is None
    # The whole policy before and after, for the auditor (docs/administration.md).
    before = None if created else row.data
    row.data = dict(policy_to_dict(policy))
    row.updated_at = timezone.now()
    row.updated_by = by
    row.full_clean()
    row.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=row,
        detail={
            "policy": policy.key,
            "change": "visit_policy",
            "area": area.code,
            "before": before,
            "after": row.data,
        },
    )
    from srbgov.pregnancies.schedule import refresh_area

    refresh_area(area, on=timezone.localdate())
    return row


def builtin_policy(key: str) -> Policy:
    return BUILTIN_POLICIES[key]
