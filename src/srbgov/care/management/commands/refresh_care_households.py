"""Nightly: derive every care household again from the registry (docs/care.md §1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.areas.models import Area, AreaLevel
from srbgov.care.households import refresh_households


class Command(BaseCommand):
    help = "按育龄妇女登记重新认定关爱家庭（独女户、双女户、特殊家庭），可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        created = changed = 0
        # Township by township: each is one transaction of a bounded size.
        for township in Area.objects.filter(level=AreaLevel.TOWNSHIP).order_by("code"):
            result = refresh_households(area=township)
            created += result.created
            changed += result.changed
        self.stdout.write(f"care households: {created} new, {changed} changed")
