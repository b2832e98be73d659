"""Only the county's reward policy is here: tips, contacts and rewards never are
(the administrator sees no reporter, DESIGN §3)."""

from __future__ import annotations

from django.contrib import admin

from srbgov.tips.models import TipPolicy


@admin.register(TipPolicy)
class TipPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["county", "verified_min", "verified_max", "major_max", "hotline"]
    list_select_related = ["county"]
