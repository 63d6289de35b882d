"""``python manage.py bench [--scale small|full] [--json]``: seed synthetic data at scale, run
every benchmark against its floor, print median/min/max (and one JSON object last with --json).

By default the bench works in a database of its own, never in the configured one: on PostgreSQL
``<configured name>_bench`` on the same server, on SQLite ``var/bench.sqlite3``. It is created
(dropped first if a previous bench left it), migrated, seeded and dropped at the end (``--keep``
keeps it). ``--in-place`` seeds the configured database instead: only for a database you can
throw away (the test suite uses it inside its test database).
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from communitylend.bench.measure import table
from communitylend.bench.runner import BENCHMARKS, run_all
from communitylend.bench.scale import SCALES
from communitylend.bench.seed import AlreadySeeded
from communitylend.celery import app


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise CommandError(f"unknown benchmark {unknown[0]}; choose from {', '.join(BENCHMARKS)}")
    return names


class Command(BaseCommand):
    help = "Benchmarks at scale, each against its floor (see README, Benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--json", action="store_true",
                            help="print one JSON object of the figures as the last line")
        parser.add_argument("--in-place", action="store_true",
                            help="seed the configured database itself (a throwaway one only)")
        parser.add_argument("--keep", action="store_true",
                            help="keep the bench database afterwards")
        parser.add_argument("--reuse", action="store_true",
                            help="keep the bench database and, if a kept one holds a seed, "
                                 "reuse it instead of seeding (read benchmarks; servicing "
                                 "days run once per seed)")
        parser.add_argument("--only", default="", help="comma-separated benchmarks to run")
        parser.add_argument("--skip", default="", help="comma-separated benchmarks to skip")

    def handle(self, *args, **options):
        scale = SCALES[options["scale"]]
        selected = _names(options["only"]) or list(BENCHMARKS)
        selected = [b for b in selected if b not in _names(options["skip"])]
        broker = self._quiet_broker()
        started = time.monotonic()
        old_name, reuse = None, None
        keep = options["keep"] or options["reuse"]
        if not options["in_place"]:
            old_name = self._use_bench_database(keep=options["reuse"])
            if options["reuse"]:
                reuse = Path(settings.BASE_DIR) / "var" / (
                    f"bench-{Path(connection.settings_dict['NAME']).name}-{scale.name}.json")
        try:
            results = run_all(scale, selected=selected, log=self._log, reuse=reuse)
        except AlreadySeeded as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)
            self._restore_broker(broker)
        self.stdout.write("")
        self.stdout.write(table(results.series))
        for note in results.notes:
            self.stdout.write(f"note: {note}")
        elapsed = time.monotonic() - started
        self._save_latest(scale.name, results, selected)
        if options["json"]:
            self.stdout.write(json.dumps({"scale": scale.name, **results.figures}))
        else:
            self.stdout.write(f"bench {scale.name}: {len(selected)} benchmarks in "
                              f"{elapsed:.0f} s")

    @staticmethod
    def _save_latest(scale: str, results, selected) -> None:
        """The run's figures for the design deck (/about/design/), written aside and renamed
        into place so a reader never sees half a file."""
        path = Path(settings.BENCH_RESULTS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_suffix(".tmp")
        draft.write_text(json.dumps({
            "scale": scale, "benchmarks": selected, "database": connection.vendor,
            "finished_at": timezone.now().isoformat(timespec="seconds"),
            "series": [{"name": s.name, "median": s.median, "low": s.low, "high": s.high,
                        "unit": s.unit} for s in results.series],
            "figures": results.figures}, default=str))
        draft.replace(path)

    def _log(self, message: str) -> None:
        self.stderr.write(message)

    @staticmethod
    def _quiet_broker() -> str:
        # Work queued by the services (emails) must not reach the real broker: its workers
        # would look the ids up in the developer's database.
        old = app.conf.broker_url
        if app._pool is None:  # not connected yet (a fresh command): connect to memory
            app.conf.broker_url = "memory://localhost//"
        return old

    @staticmethod
    def _restore_broker(url: str) -> None:
        app.conf.broker_url = url

    def _use_bench_database(self, *, keep: bool) -> str:
        db = connection.settings_dict
        old_name = db["NAME"]
        if connection.vendor == "sqlite":
            name = str(Path(settings.BASE_DIR) / "var" / "bench.sqlite3")
        else:
            name = f"{old_name}_bench"
        db.setdefault("TEST", {})["NAME"] = name
        self._log(f"bench database: {name} ({'kept' if keep else 'created now'}, dropped at the "
                  "end unless --keep or --reuse)")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False,
                                           keepdb=keep)
        return old_name
