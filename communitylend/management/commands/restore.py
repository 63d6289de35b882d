from django.core.management.base import BaseCommand, CommandError

from communitylend.backups import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = ("Replace the database's contents with a backup made by `manage.py backup`. A file "
            "that is not such a backup is refused and nothing changes. Run `migrate` after "
            "restoring an older backup.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, path, interactive=True, **options):
        try:
            kind = backup_check(path)
            if interactive:
                answer = input(f"This replaces everything in the configured {kind} database "
                               f"with {path}. Type 'yes' to continue: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed")
            backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restore: the database now holds {path}")
