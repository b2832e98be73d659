"""After a restore: is what came back usable? (docs/operations.md, "The drill")

Row counts equal to the manifest say the rows came back; only a decrypt says the keys
fit the data, and only the audit chain's own check says the log was not altered. A
restore that passes these three is one the county can work on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.management import call_command, get_commands

from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.tips.models import Tip
from srbgov.tips.services import tips_cipher

AUDIT_COMMAND = "verify_audit_chain"


@dataclass(frozen=True)
class Checked:
    identity_numbers: int  # decrypted, out of the sample
    contacts: int
    audit_chain: str  # the verification command's summary, or why it did not run


def decrypt_samples(*, limit: int = 50) -> tuple[int, int]:
    """Decrypt up to `limit` identity numbers and tipster contacts; raises on the first
    that does not decrypt (a wrong key fails the GCM tag check)."""
    ids = identity_cipher()
    numbers = Woman.objects.order_by("pk").values_list("id_number_encrypted", flat=True)
    identity = sum(1 for value in numbers[:limit] if ids.decrypt(value))
    tips = tips_cipher()
    contacts = (
        Tip.objects.exclude(contact_encrypted="")
        .order_by("pk")
        .values_list("contact_encrypted", flat=True)
    )
    contact = sum(1 for value in contacts[:limit] if tips.decrypt(value))
    return identity, contact


def verify_audit_chain() -> str:
    """Run the audit chain's own verification if this installation has it."""
    if AUDIT_COMMAND not in get_commands():
        return f"命令不可用：{AUDIT_COMMAND}（跳过）"
    out = io.StringIO()
    call_command(AUDIT_COMMAND, stdout=out, stderr=out)
    return out.getvalue().strip()


def check_restored(*, limit: int = 50) -> Checked:
    identity, contacts = decrypt_samples(limit=limit)
    return Checked(
        identity_numbers=identity, contacts=contacts, audit_chain=verify_audit_chain()
    )
