"""``manage.py rotate_encryption_key``: re-encrypt every encrypted value and file with the newest
key of FIELD_ENCRYPTION_KEYS (README, "Operations: encryption keys")."""

from django.core.management.base import BaseCommand, CommandError

from communitylend.core.encryption import RotationFailed, encryption_rotate


class Command(BaseCommand):
    help = ("Re-encrypt personal data and KYC files with the newest key of FIELD_ENCRYPTION_KEYS "
            "(put the new key first, run this, then drop the old key).")

    def handle(self, *args, **options):
        try:
            report = encryption_rotate()
        except RotationFailed as exc:
            raise CommandError(f"rotate_encryption_key: failed: {exc}") from exc
        self.stdout.write(report.summary())
