"""The tokens a user may see and revoke (docs/access.md): their own personal tokens,
and the clients of the facilities they keep. 404 for every other."""

from __future__ import annotations

from django.db.models import Q

from srbgov.accounts import roles
from srbgov.accounts.models import User
from srbgov.core.http import require
from srbgov.core.scope import get_for_user
from srbgov.providers.access import kept_facilities_for_user
from srbgov.restapi.models import ApiToken, ApiTokenQuerySet


def tokens_for_user(user: User) -> ApiTokenQuerySet:
    require(roles.can_issue_api_tokens, user)
    return ApiToken.objects.visible_to(user).filter(
        Q(user=user, facility__isnull=True)
        | Q(facility__in=kept_facilities_for_user(user))
    )


def get_token_for_user(user: User, pk: object, *, log_read: bool = True) -> ApiToken:
    return get_for_user(
        tokens_for_user(user).select_related("facility"), user, pk, log_read=log_read
    )
