"""The token list as a sheet (docs/access.md §5): never the token itself."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.reports.exports import Column, Export
from srbgov.restapi.models import ApiToken


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""  # type: ignore[attr-defined]


TOKENS: Export[ApiToken] = Export(
    title=_("接口令牌"),
    filename=_("接口令牌"),
    object_type="restapi.apitoken",
    columns=(
        Column(_("名称"), lambda t: t.name),
        Column(_("令牌前缀"), lambda t: t.prefix),
        Column(_("医疗机构"), lambda t: t.facility.name if t.facility else ""),
        Column(_("签发时间"), lambda t: _when(t.created_at)),
        Column(_("最近使用"), lambda t: _when(t.last_used_at)),
        Column(_("撤销时间"), lambda t: _when(t.revoked_at)),
    ),
)
