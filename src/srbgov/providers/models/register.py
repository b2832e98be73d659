"""What the facility registers that name a woman have in common (docs/registers.md §2):
the exam register and the delivery register both place the entry in her village when
known, else in the facility's area, keep a submission key against double taps and
record who entered it and when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.submissions import submission_key_column
from srbgov.providers.models.terminations import RealNameRecord

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def woman_village_column(
    label: StrOrPromise,
) -> models.ForeignKey[Area | None, Area | None]:
    """Her village, when the register knows it: the entry's area (`area_path`)."""
    return models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class FacilityRegisterEntry(RealNameRecord):
    """A facility's real-name register entry; the subclass declares `facility` and
    `village` (woman_village_column), which `area_path` follows."""

    submission_key = submission_key_column()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    # Her township follows her entries wherever she went; the facility's keepers
    # reach them through the facility (providers.access).
    area_path = ("village", "facility__area")

    class Meta:
        abstract = True
