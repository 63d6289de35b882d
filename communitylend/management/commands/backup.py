from django.core.management.base import BaseCommand, CommandError

from communitylend.backups import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database: pg_dump's custom format on PostgreSQL, SQLite's online "
            "backup API on SQLite. PATH: a file, or a folder (default var/backups/).")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")

    def handle(self, *args, path=None, **options):
        try:
            written = backup_create(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup: {written} ({written.stat().st_size:,} bytes)")
