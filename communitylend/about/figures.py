"""The live figures of the design deck, read from every app (aggregate queries only)."""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum

from bots.selectors import bot_stats
from communitylend.backoffice.dashboard import platform_stats
from loans.models import Loan
from risk.models import ModelVersion

MODEL_METRICS = [  # (key, label, format)
    ("auc_oot", "AUC out of time (2011)", "{:.4f}"),
    ("lc_subgrade_auc_oot", "LendingClub's own sub-grade, AUC out of time", "{:.4f}"),
    ("auc_cv", "AUC, 5-fold cross-validation", "{:.4f}"),
    ("ks_oot", "KS out of time", "{:.4f}"),
    ("brier_oot", "Brier score out of time", "{:.5f}"),
    ("base_rate_brier_oot", "Brier score of the base rate", "{:.5f}"),
    ("default_rate_oot", "default rate 2011", "{:.2%}"),
    ("mean_pd_oot", "mean predicted PD 2011", "{:.2%}"),
]


@dataclass
class ModelFigures:
    version: ModelVersion
    metrics: list[tuple[str, str]]
    backtest: list[dict]  # one row per grade and the book, all terms


def volume() -> dict:
    stats = platform_stats(months=12)
    totals = Loan.objects.filter(disbursed_at__isnull=False).aggregate(
        volume=Sum("amount"), loans=Count("id"))
    return {"total": totals["volume"] or Decimal("0.00"), "loans": totals["loans"],
            "months": stats["months"], "funding": stats["funding"],
            "open_listings": stats["open_listings"], "as_of": stats["as_of"]}


def bots() -> dict:
    rows = bot_stats()
    capital = sum((row.bot.capital for row in rows), Decimal("0"))
    deployed = sum((row.deployed for row in rows), Decimal("0"))
    return {"rows": rows, "capital": capital, "deployed": deployed,
            "utilization": (deployed * 100 / capital).quantize(Decimal("0.1"))
            if capital else None}


def model() -> ModelFigures | None:
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        return None
    m = version.metrics or {}
    metrics = [(label, fmt.format(m[key])) for key, label, fmt in MODEL_METRICS
               if isinstance(m.get(key), int | float)]
    backtest = [row for row in (m.get("backtest_oot") or {}).get("rows", [])
                if row.get("term") == "all"]
    return ModelFigures(version=version, metrics=metrics, backtest=backtest)


def benchmarks() -> dict | None:
    """The last ``manage.py bench`` run on this installation (written by the command)."""
    try:
        data = json.loads(settings.BENCH_RESULTS_FILE.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("series"), list) else None
