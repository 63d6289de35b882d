import time

from django.core.management.base import BaseCommand, CommandError

from bots.cycle import bot_cycle_run
from bots.engine import CYCLE_SECONDS
from bots.models import BotLender


class Command(BaseCommand):
    help = ("Run the bot lenders (and auto-invest rules): one cycle with --once, else a cycle "
            f"every {CYCLE_SECONDS} s until Ctrl-C. Prints one line per bot, then a summary.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one cycle and exit.")
        parser.add_argument("--bot", metavar="NAME",
                            help="Run only this bot (by name, any case); rules do not run.")

    def handle(self, *args, once=False, bot=None, **options):
        if bot:
            found = BotLender.objects.filter(name__iexact=bot).first()
            if found is None:
                names = ", ".join(BotLender.objects.order_by("id").values_list("name", flat=True))
                raise CommandError(f"No bot named {bot!r}; bots: {names or 'none (run seed_demo)'}")
            if found.status != "running":
                self.stdout.write(f"{found.name}: stopped (start it in /admin/bots/botlender/)")
        if once:
            failed = self._cycle(bot)
            if failed:
                raise SystemExit(1)
            return
        cycles = 0
        try:
            while True:
                started = time.monotonic()
                self._cycle(bot)
                cycles += 1
                time.sleep(max(0.0, CYCLE_SECONDS - (time.monotonic() - started)))
        except KeyboardInterrupt:
            self.stdout.write(f"run_bots: stopped after {cycles} cycle(s)")

    def _cycle(self, bot) -> int:
        result = bot_cycle_run(bot_name=bot)
        for report in result.reports:
            self.stdout.write(report.line())
        self.stdout.write(result.summary())
        self.stdout.flush()
        return result.errors
