import json as json_module
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from risk import ml
from risk.ml.cashflows import backtest_markdown, book_returns, target_report


class Command(BaseCommand):
    help = ("Replay the out-of-time year (2011) at the floor and recommended rates the model "
            "trained on 2007-2010 quotes, on the loans' real outcomes, beside LendingClub's own "
            "rates: pooled IRR and net annualized return by grade and term (DESIGN.md, "
            "\"Pricing\"). About 15 seconds.")

    def add_arguments(self, parser):
        parser.add_argument("--data", help="training CSV (default: risk/data/...csv.gz)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--json", action="store_true", help="last line: one JSON object")

    def handle(self, *args, data=None, seed=42, json=False, **options):
        path = Path(data) if data else ml.DEFAULT_DATA_PATH
        if not path.exists():
            raise CommandError(f"Training data not found: {path}")
        started = time.monotonic()
        try:
            result = ml.backtest_pricing(path, seed=seed)
        except (KeyError, ValueError, RuntimeError) as exc:
            raise CommandError(f"backtest_pricing failed: {exc}") from exc
        for line in backtest_markdown(result):
            self.stdout.write(line)
        self.stdout.write("")
        for name, row in result["calibration"].items():
            self.stdout.write(f"{name:>10}: predicted PD {row['predicted']:.2f}%, observed "
                              f"{row['observed']:.2f}% ({row['gap']:+.2f} pt, {row['n']:,} "
                              "loans)")
        self.stdout.write("")
        for line in target_report(result, result["calibration"]):
            self.stdout.write(line)
        book = book_returns(result)
        loans = next(r["loans"] for r in result["rows"]
                     if r["grade"] == "all" and r["term"] == "all")
        self.stdout.write(
            f"backtest_pricing: {loans:,} out-of-time loans; book IRR {book['irr_floor']:.2f}% "
            f"at the floors, {book['irr_recommended']:.2f}% at the recommended rates, "
            f"{book['irr_lendingclub']:.2f}% at LendingClub's (targets "
            f"{result['funding_cost']:.0f}% and {result['target']:.0f}%); AUC "
            f"{result['auc_oot']:.4f}; {time.monotonic() - started:.1f}s")
        if json:
            self.stdout.write(json_module.dumps({**result, "book": book}))
