import json as json_module
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from risk.ml.cashflows import book_returns
from risk.training import train_and_register


class Command(BaseCommand):
    help = ("Train the credit model (fixed seed), evaluate it by 5-fold cross-validation and on "
            "the out-of-time holdout (2011), write its model card and register it as the active "
            "version.")

    def add_arguments(self, parser):
        parser.add_argument("--data", help="training CSV (default: risk/data/...csv.gz)")
        parser.add_argument("--json", action="store_true", help="last line: one JSON object")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--fast", action="store_true",
                            help="fit only, no evaluation (seconds; for demos)")
        parser.add_argument("--no-activate", action="store_true",
                            help="register without making it the active version")

    def handle(self, *args, data=None, json=False, seed=42, fast=False, no_activate=False,
               **options):
        started = time.monotonic()
        try:
            bundle, version = train_and_register(data_path=Path(data) if data else None,
                                                 seed=seed, fast=fast,
                                                 activate=not no_activate)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        metrics = bundle.metrics
        for key in ("auc_cv", "auc_oot", "brier_oot", "base_rate_brier_oot", "ks_oot",
                    "lc_subgrade_auc_oot", "lc_int_rate_auc_oot"):
            if key in metrics:
                self.stdout.write(f"{key:>22}: {metrics[key]:.4f}")
        rates = metrics.get("grade_default_rates_oot") or {}
        shares = metrics.get("grade_shares_oot") or {}
        for grade in sorted(rates):
            self.stdout.write(f"  grade {grade}: default rate {rates[grade]:.1%}, "
                              f"share {shares.get(grade, 0):.1%}")
        self.stdout.write(f"model card: {version.card_path}")
        self.stdout.write(f"artifact: {version.artifact_path} (sha256 {version.artifact_sha256})")
        summary = {
            "auc_cv": metrics.get("auc_cv"), "auc_oot": metrics.get("auc_oot"),
            "brier_oot": metrics.get("brier_oot"),
            "base_rate_brier_oot": metrics.get("base_rate_brier_oot"),
            "grade_default_rates_oot": rates, "model_version": version.version,
        }
        backtest = metrics.get("backtest_oot")
        if backtest:  # a full training: the book's out-of-time IRR at our floors and targets
            book = book_returns(backtest)
            summary["book_irr_oot"] = {"floor": book["irr_floor"],
                                       "recommended": book["irr_recommended"],
                                       "lendingclub": book["irr_lendingclub"]}
            self.stdout.write(f"book IRR out of time: {book['irr_floor']:.2f}% at the floors, "
                              f"{book['irr_recommended']:.2f}% at the recommended rates")
        self.stdout.write(f"train_risk_model: {version.version} registered"
                          f"{'' if no_activate else ' and active'} in {seconds:.1f}s")
        if json:
            self.stdout.write(json_module.dumps(summary))
