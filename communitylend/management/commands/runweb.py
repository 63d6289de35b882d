"""The web server of ``make run`` (Procfile ``web``).

On PostgreSQL (``DATABASE_URL`` set to a server database) it is gunicorn with threads: a fixed
pool of WEB_WORKERS processes x WEB_THREADS threads, so at most that many database connections
are open however many requests arrive. ``runserver`` starts a thread per request and, with
CONN_MAX_AGE, leaves each thread's connection open: a few hundred quick API calls exhausted
PostgreSQL's connections and every request answered 503 (issue 18, finding 9). On the default
SQLite file it stays ``runserver`` (one file, no connection limit to exhaust).
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def gunicorn_argv(*, host: str, port: int) -> list[str]:
    workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 2)
    threads = int(os.environ.get("WEB_THREADS") or 8)
    return ["gunicorn", "communitylend.wsgi", "--worker-class", "gthread",
            "--workers", str(workers), "--threads", str(threads), "--bind", f"{host}:{port}",
            # the admin's 50,000-row import preview takes about 20 s (README)
            "--timeout", os.environ.get("WEB_TIMEOUT", "120"),
            "--access-logfile", "-", "--log-level", "info"]


class Command(BaseCommand):
    help = "Serve the site as `make run` does: gunicorn (gthread) on PostgreSQL, runserver on SQLite."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))
        parser.add_argument("--print", action="store_true", dest="print_only",
                            help="print the server command instead of running it")

    def handle(self, *args, host, port, print_only, **options):
        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
            if print_only:
                self.stdout.write(f"runserver {host}:{port} --noreload")
                return
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        argv = gunicorn_argv(host=host, port=port)
        if print_only:
            self.stdout.write(" ".join(argv))
            return
        executable = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or \
            shutil.which("gunicorn")
        if executable is None:
            raise CommandError("gunicorn is not installed (pip install -r requirements.txt)")
        sys.stdout.flush()
        os.execv(executable, [executable, *argv[1:]])
