"""The first administrator of a new installation (docs/deploy.md, step 11).

Every later account is made by an administrator in the application; this is how the
first one comes to exist without a shell session that bypasses validation and the audit.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from srbgov.accounts.models import Role, User
from srbgov.areas import codes
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


@transaction.atomic
def create_first_admin(
    *, county_code: str, county_name: str, username: str, password: str
) -> User:
    """The county area (made if missing) and an administrator at it; refused once any
    administrator exists, so the command cannot be used to take over a running system."""
    if User.objects.filter(role=Role.ADMIN).exists():
        raise ValidationError("已有系统管理员：其他账号请由管理员在系统中创建。")
    county_code, county_name = county_code.strip(), county_name.strip()
    try:
        level = codes.level_of(county_code)
    except codes.AreaCodeError as problem:
        raise ValidationError(str(problem)) from None
    if level != "county":
        raise ValidationError("请填写县级区划代码（12位，后6位为0）。")
    county = Area.objects.filter(code=county_code).first()
    created_county = county is None
    if county is None:
        county = Area(code=county_code, name=county_name, level=AreaLevel.COUNTY)
        county.full_clean()
        county.save()
    user = User(username=username.strip(), role=Role.ADMIN, area=county)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    if created_county:
        record(
            user=user,
            action=AuditAction.CREATE,
            obj=county,
            detail={"code": county_code},
        )
    record(user=user, action=AuditAction.CREATE, obj=user, detail={"role": Role.ADMIN})
    return user
