"""Who is calling (docs/api.md, "Authentication").

`Authorization: Token srb_…` (or `Bearer srb_…`) names a live token; the request then
acts as the token's account, with its role and area. A logged-in browser session is
accepted too (the schema page's "Try it out"), but only once it has passed what the
pages' account gate asks (docs/administration.md): the second factor where the account
has or needs one, and no pending password change. The pages' gate does not run for API
views (they answer JSON, not a redirect), so this class repeats its rule.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from srbgov.accounts import mfa
from srbgov.restapi.models import ApiToken
from srbgov.restapi.tokens import token_for_key

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


def passes_account_gate(user: Any) -> bool:
    if user.must_change_password:
        return False
    if mfa.has_device(user) or mfa.is_required(user):
        return bool(user.is_verified())
    return True


class GatedSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active or not passes_account_gate(user):
            return None
        self.enforce_csrf(request)
        return user, None


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the schema names the token: `Authorization: Token srb_…`."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token srb_…（在“接口令牌”页面签发）",
        }


class SessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = GatedSessionAuthentication
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
