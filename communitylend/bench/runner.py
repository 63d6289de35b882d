"""The benchmarks, each paired with its floor in the same run (see README, "Benchmarks").

``run_all`` seeds (unless told the data is there), runs every selected benchmark ``scale.runs``
times and returns the figures; the command prints them as a table and, with ``--json``, as one
JSON object in API.md's shape.
"""

import json
import os
import random
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import AuditEvent, Notification, User
from accounts.services import api_token_issue
from bots.cycle import bot_cycle_run
from bots.models import BotDecision, BotLender
from communitylend.core.bulk import insert_rows, reserve_ids
from loans.models import Bid, Loan, LoanStatus
from payments.amortization import add_months, amortize
from payments.models import Account, Distribution, LedgerLeg, LedgerTransaction, Repayment
from payments.servicing.batch import run_servicing
from risk.models import ModelVersion
from risk.services import bundle_for

from . import floors, scaleout
from .http import WRK_MISSING, run_http
from .market import bench_market
from .measure import QueryCounter, Series, Stopwatch, percentile
from .scale import Scale
from .seed import SeedInfo, bench_users_exist, seed

BENCHMARKS = ("loans_list", "loan_detail", "marketplace_page", "bot_cycle", "servicing_day",
              "amortize", "risk_score", "http", "market")


@dataclass
class Results:
    scale: str
    figures: dict = field(default_factory=dict)  # API.md's JSON
    series: list[Series] = field(default_factory=list)  # the table
    notes: list[str] = field(default_factory=list)

    def put(self, benchmark: str, **values) -> None:
        self.figures.setdefault(benchmark, {}).update(values)


def _r(value, places=2):
    return None if value is None else round(value, places)


# --- requests: the API list, the API detail, the marketplace page ---------------------------------


def _token_for(user_id: int) -> str:
    return api_token_issue(user=User.objects.get(pk=user_id), second_factor=False)


def _fix_floors(client: Client, info: SeedInfo) -> None:


    lst = client.get("/api/loans", {"limit": 50, "sortBy": "createdAt"})
    detail = client.get(f"/api/loans/{info.listing_ids[len(info.listing_ids) // 2]}")
    assert lst.status_code == 200 and detail.status_code == 200, (lst.status_code,
                                                                   detail.status_code)
    # The renderer camelizes: the floors answer the same data in the views' own (snake) case.
    from djangorestframework_camel_case.util import underscoreize

    listed = Loan.objects.filter(status=LoanStatus.LISTED)
    floors.fix(loans_list=underscoreize(lst.json()), loan_detail=underscoreize(detail.json()),
               marketplace_loans=list(listed.select_related("borrower")
                                      .order_by("-created_at", "-id")[:20]),
               marketplace_total=listed.count())


def _request_pair(results: Results, name: str, client: Client, real: str, floor: str,
                  params: dict, scale: Scale) -> None:
    """Interleave the real request and its floor; per-request medians, and the real one's
    queries (it must be the same number every time)."""
    real_ms = Series(f"{name}: ms per request", "ms")
    floor_ms = Series(f"{name}: floor ms per request", "ms")
    ratio = Series(f"{name}: ratio to floor", "x")
    queries = []
    for _ in range(2):  # warm: caches, connection, template loading
        client.get(real, params)
        client.get(floor, params)
    for _ in range(scale.runs):
        run_real, run_floor = [], []
        for _ in range(scale.requests):
            # Counted without recording the SQL text (the floor records nothing either).
            with QueryCounter() as counted, Stopwatch() as watch:
                response = client.get(real, params)
            assert response.status_code == 200, (real, response.status_code)
            run_real.append(watch.seconds * 1000)
            queries.append(counted.count)
            with Stopwatch() as watch:
                response = client.get(floor, params)
            assert response.status_code == 200, (floor, response.status_code)
            run_floor.append(watch.seconds * 1000)
        real_ms.add(statistics.median(run_real))
        floor_ms.add(statistics.median(run_floor))
        ratio.add(statistics.median(run_real) / statistics.median(run_floor))
    results.series += [real_ms, floor_ms, ratio]
    results.put(name, ms=_r(real_ms.median), floor_ms=_r(floor_ms.median),
                ratio=_r(real_ms.median / floor_ms.median), queries=int(max(queries)))
    if len(set(queries)) > 1:
        results.notes.append(f"{name}: query count varied between requests: {sorted(set(queries))}")


def bench_requests(results: Results, info: SeedInfo, scale: Scale, selected) -> None:
    wanted = [b for b in ("loans_list", "loan_detail", "marketplace_page") if b in selected]
    if not wanted:
        return
    # In-process, every request does the full work (the public-listing cache is off): these
    # figures are what a cache miss costs. The http benchmark runs the site as deployed.
    with override_settings(ROOT_URLCONF="communitylend.bench.urls", LISTING_CACHE_SECONDS=0,
                           ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        api = Client(HTTP_AUTHORIZATION=f"Bearer {_token_for(info.lender_ids[0])}")
        _fix_floors(api, info)
        if "loans_list" in wanted:
            _request_pair(results, "loans_list", api, "/api/loans", "/bench-floor/api/loans",
                          {"limit": 50, "sortBy": "createdAt"}, scale)
        if "loan_detail" in wanted:
            api = Client(HTTP_AUTHORIZATION=f"Bearer {_token_for(info.lender_ids[1])}")
            loan_id = info.listing_ids[len(info.listing_ids) // 2]
            _request_pair(results, "loan_detail", api, f"/api/loans/{loan_id}",
                          "/bench-floor/api/loan", {}, scale)
        if "marketplace_page" in wanted:
            _request_pair(results, "marketplace_page", Client(), "/marketplace/",
                          "/bench-floor/marketplace/", {}, scale)


# --- the bot cycle --------------------------------------------------------------------------------


class _BotCycleUndo:
    """Puts the market back as it was before a bot cycle (its new bids, their holds, the loans'
    live state, the decision log), so that every run starts from the same state. Set-based, on
    the bench's own database; the ledger stays consistent (a cycle from this state re-bids
    nothing, so it only adds rows)."""

    def __init__(self, info: SeedInfo):

        self.max = {model: model.objects.aggregate(m=Max("id"))["m"] or 0
                    for model in (Bid, LedgerTransaction, BotDecision, AuditEvent, Notification)}
        self.loans = {row[0]: row[1:] for row in Loan.objects.filter(
            status=LoanStatus.LISTED, funding_deadline__gt=info.bot_now).values_list(
            "id", "bid_total", "bid_count", "clearing_rate", "updated_at")}
        self.bots = dict(BotLender.objects.values_list("id", "last_run_at"))

    def undo(self) -> None:

        with transaction.atomic():
            legs = LedgerLeg.objects.filter(transaction_id__gt=self.max[LedgerTransaction])
            deltas = {row["account_id"]: (row["c"] or 0) - (row["d"] or 0) for row in
                      legs.values("account_id").annotate(c=Sum("credit"), d=Sum("debit"))
                      .order_by()}
            for account in Account.objects.select_for_update(no_key=True).filter(pk__in=deltas):
                account.balance = (account.balance - Decimal(deltas[account.pk])).quantize(
                    Decimal("0.01"))
                account.save(update_fields=["balance"])
            legs.delete()
            LedgerTransaction.objects.filter(pk__gt=self.max[LedgerTransaction]).delete()
            BotDecision.objects.filter(pk__gt=self.max[BotDecision]).delete()
            AuditEvent.objects.filter(pk__gt=self.max[AuditEvent]).delete()
            Notification.objects.filter(pk__gt=self.max[Notification]).delete()
            touched = set(Bid.objects.filter(pk__gt=self.max[Bid]).values_list("loan_id",
                                                                                flat=True))
            Bid.objects.filter(pk__gt=self.max[Bid]).delete()
            loans = []
            for loan in Loan.objects.filter(pk__in=touched):
                loan.bid_total, loan.bid_count, loan.clearing_rate, loan.updated_at = \
                    self.loans[loan.pk]
                loans.append(loan)
            Loan.objects.bulk_update(loans, ["bid_total", "bid_count", "clearing_rate",
                                             "updated_at"], batch_size=1000)
            for bot_id, last_run_at in self.bots.items():
                BotLender.objects.filter(pk=bot_id).update(last_run_at=last_run_at)


def bench_bot_cycle(results: Results, info: SeedInfo, scale: Scale) -> None:

    seconds = Series("bot_cycle: seconds per cycle", "s")
    queries = Series("bot_cycle: SQL queries per cycle", "queries")
    bids = Series("bot_cycle: bids placed", "bids")
    for _ in range(scale.runs):
        undo = _BotCycleUndo(info)
        with CaptureQueriesContext(connection) as ctx:
            result = bot_cycle_run(now=info.bot_now)
        if result.skipped or result.errors:
            raise RuntimeError(f"bot cycle did not run cleanly: {result.summary()}")
        seconds.add(result.seconds)
        queries.add(len(ctx.captured_queries))
        bids.add(result.bids)
        if result.rebids:
            results.notes.append("bot_cycle: the cycle re-bid, so undo is partial")
        undo.undo()
    results.series += [seconds, queries, bids]
    results.put("bot_cycle", seconds=_r(seconds.median, 3), queries=int(queries.median),
                bids=int(bids.median), listings=len(undo.loans))
    _bench_bot_cycle_celery(results, info)


def _bench_bot_cycle_celery(results: Results, info: SeedInfo) -> None:
    """The same cycle through Celery (bots/distributed.py) with 1 and 2 worker processes."""
    if reason := scaleout.unavailable():
        results.notes.append(f"bot_cycle through Celery: skipped: {reason}")
        results.put("bot_cycle", celery=None)
        return
    figures, placed = {}, {}
    for processes in scaleout.WORKER_COUNTS:
        undo = _BotCycleUndo(info)
        with scaleout.celery_workers(processes, batch_size=1) as send:
            seconds = scaleout.bot_cycle_through_celery(send, now=info.bot_now)
        placed[str(processes)] = Bid.objects.filter(pk__gt=undo.max[Bid]).count()
        undo.undo()
        figures[str(processes)] = _r(seconds, 3)
        results.series.append(Series(f"bot_cycle: seconds, Celery x{processes}", "s",
                                     [seconds]))
    results.put("bot_cycle", celery=figures, celery_bids=placed)


# --- a servicing day ------------------------------------------------------------------------------


def _servicing_floor(before: dict) -> float:
    """Bulk-insert copies of the rows the day wrote (repayments, ledger transactions and legs,
    distributions) with the fastest bulk insert there is; returns seconds. The copies are
    deleted afterwards (untimed)."""

    rep_fields = ["loan", "borrower", "kind", "status", "amount", "scheduled_for", "paid_on",
                  "principal", "interest", "late_fees", "servicing_fees", "idempotency_key",
                  "ledger_transaction", "failure_reason", "apply_to", "created_at"]
    reps = list(Repayment.objects.filter(pk__gt=before[Repayment]).values_list(
        "id", *[f + "_id" if f in ("loan", "borrower", "ledger_transaction") else f
                for f in rep_fields]))
    txns = list(LedgerTransaction.objects.filter(pk__gt=before[LedgerTransaction]).values_list(
        "id", "kind", "memo", "acting_user_id", "idempotency_key", "fingerprint", "created_at"))
    legs = list(LedgerLeg.objects.filter(transaction_id__gt=before[LedgerTransaction])
                .values_list("transaction_id", "account_id", "debit", "credit"))
    dists = list(Distribution.objects.filter(pk__gt=before[Distribution]).values_list(
        "repayment_id", "note_id", "principal", "interest", "late_fee", "servicing_fee", "net"))
    with Stopwatch() as watch, transaction.atomic():
        txn_map = dict(zip([t[0] for t in txns], reserve_ids(LedgerTransaction, len(txns)),
                           strict=True))
        rep_map = dict(zip([r[0] for r in reps], reserve_ids(Repayment, len(reps)), strict=True))
        insert_rows(LedgerTransaction, ["id", "kind", "memo", "acting_user", "idempotency_key",
                                        "fingerprint", "created_at"],
                    ((txn_map[t[0]], t[1], t[2], t[3], "floor:" + t[4], t[5], t[6])
                     for t in txns))
        insert_rows(LedgerLeg, ["transaction", "account", "debit", "credit"],
                    ((txn_map[t], a, d, c) for t, a, d, c in legs))
        key = rep_fields.index("idempotency_key") + 1
        txn_at = rep_fields.index("ledger_transaction") + 1
        insert_rows(Repayment, ["id", *rep_fields],
                    ((rep_map[r[0]], *r[1:key], "floor:" + r[key], txn_map.get(r[txn_at]),
                      *r[key + 2:]) for r in reps))
        insert_rows(Distribution, ["repayment", "note", "principal", "interest", "late_fee",
                                   "servicing_fee", "net"],
                    ((rep_map[d[0]], *d[1:]) for d in dists))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A fresh session for the clean-up: PostgreSQL caches each foreign-key check's plan per
        # session, and the ones this session made while the repayments table was empty (the bot
        # cycle's undo) scan it whole for every ledger transaction deleted (minutes, untimed).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE payments_repayment, payments_distribution")
        connection.close()
    with transaction.atomic():
        Distribution.objects.filter(repayment_id__in=list(rep_map.values())).delete()
        Repayment.objects.filter(pk__in=list(rep_map.values())).delete()
        LedgerLeg.objects.filter(transaction_id__in=list(txn_map.values())).delete()
        LedgerTransaction.objects.filter(pk__in=list(txn_map.values())).delete()
    return watch.seconds


def bench_servicing(results: Results, info: SeedInfo, scale: Scale) -> None:

    rate = Series("servicing_day: loans per second", "loans/s", higher_is_better=True)
    floor = Series("servicing_day: floor loans per second", "loans/s", higher_is_better=True)
    ratio = Series("servicing_day: floor / real", "x")
    queries = Series("servicing_day: SQL queries per day", "queries")
    for run in range(1, scale.runs + 1):
        as_of = info.servicing_day(run)
        # The quiet days before this due date have run (untimed): the figure is one day's.
        Loan.objects.filter(pk__in=info.serviced_loan_ids).update(
            serviced_through=as_of - timedelta(days=1))
        before = {m: m.objects.aggregate(m=Max("id"))["m"] or 0
                  for m in (Repayment, LedgerTransaction, Distribution)}
        with QueryCounter() as counted, Stopwatch() as watch:
            report = run_servicing(as_of=as_of)
        if report.errors or report.autopay != len(info.serviced_loan_ids):
            raise RuntimeError(f"servicing day {as_of} did not run cleanly: {report}")
        real = report.loans / watch.seconds
        floor_s = _servicing_floor(before)
        rate.add(real)
        floor.add(report.loans / floor_s)
        ratio.add((report.loans / floor_s) / real)
        queries.add(counted.count)
    results.series += [rate, floor, ratio, queries]
    results.put("servicing_day", loans_per_s=_r(rate.median, 1),
                floor_loans_per_s=_r(floor.median, 1), ratio=_r(floor.median / rate.median),
                loans=len(info.serviced_loan_ids), queries=int(queries.median))
    _bench_catch_up(results, info, scale)
    _bench_servicing_celery(results, info, scale)


CATCH_UP_DAYS = 30


def _bench_catch_up(results: Results, info: SeedInfo, scale: Scale) -> None:
    """One run of ``run_servicing`` over 30 days nobody serviced after the last measured day:
    a replay of every day (reminders, the next due date's autopay), measured once."""
    as_of = info.servicing_day(scale.runs) + timedelta(days=CATCH_UP_DAYS)
    with QueryCounter() as counted, Stopwatch() as watch:
        report = run_servicing(as_of=as_of)
    if report.errors:
        raise RuntimeError(f"catch-up to {as_of} did not run cleanly: {report}")
    seconds = Series("servicing_catch_up: seconds for 30 days", "s")
    seconds.add(watch.seconds)
    results.series.append(seconds)
    results.put("servicing_day", catch_up_days=CATCH_UP_DAYS,
                catch_up_seconds=_r(watch.seconds, 2),
                catch_up_loans=len(info.serviced_loan_ids), catch_up_autopay=report.autopay,
                catch_up_queries=counted.count)


def _bench_servicing_celery(results: Results, info: SeedInfo, scale: Scale) -> None:
    """A servicing day (the next due dates after the catch-up) through Celery: a chord of
    batches (payments/servicing/distributed.py) with 1 and 2 worker processes."""
    if reason := scaleout.unavailable():
        results.notes.append(f"servicing_day through Celery: skipped: {reason}")
        results.put("servicing_day", celery=None)
        return
    loans = len(info.serviced_loan_ids)
    batch_size = min(5000, max(1, loans // 4))  # 4 batches: 20,000 loans at full scale
    figures = {}
    for n, processes in enumerate(scaleout.WORKER_COUNTS):
        as_of = info.servicing_day(scale.runs + 2 + n)
        Loan.objects.filter(pk__in=info.serviced_loan_ids).update(
            serviced_through=as_of - timedelta(days=1))
        with scaleout.celery_workers(processes, batch_size=batch_size) as send:
            seconds, report = scaleout.servicing_run_through_celery(send, as_of=as_of)
        if report.get("errors") or report.get("autopay") != loans:
            raise RuntimeError(f"servicing day {as_of} through Celery: {report}")
        figures[str(processes)] = _r(report["loans"] / seconds, 1)
        results.series.append(Series(f"servicing_day: loans/s, Celery x{processes}", "loans/s",
                                     [report["loans"] / seconds], True))
    results.put("servicing_day", celery=figures, celery_batch_size=batch_size)


# --- amortization ---------------------------------------------------------------------------------


def _schedules_numpy(principal_cents, rate_percent, months: int, start: date):
    """Vectorised equal-installment schedules for loans of one term, in whole cents with
    half-even rounding (np.rint): (installment, interest[n, k], principal[n, k], due dates)."""

    r = rate_percent / 1200.0
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = (1 + r) ** months
        pmt = np.where(r == 0, principal_cents / months, principal_cents * r * factor / (factor - 1))
    installment = np.rint(pmt)
    balance = principal_cents.astype(np.float64).copy()
    interest = np.empty((len(balance), months))
    principal = np.empty((len(balance), months))
    for k in range(months):
        i = np.rint(balance * r)
        p = installment - i if k < months - 1 else balance
        p = np.minimum(p, balance)
        interest[:, k], principal[:, k] = i, p
        balance = balance - p
    due = [add_months(start, k + 1) for k in range(months)]
    return installment, interest, principal, due


def bench_amortize(results: Results, scale: Scale) -> None:

    rng = random.Random(7)
    start = date(2026, 1, 31)
    items = [(Decimal(rng.randrange(100_000, 4_000_001)) / 100,
              Decimal(rng.randrange(500, 3601)) / 100, rng.choice((12, 24, 36, 60)))
             for _ in range(scale.amortize_schedules)]
    real = Series("amortize: schedules per second", "sched/s", higher_is_better=True)
    floor = Series("amortize: floor (NumPy) schedules per second", "sched/s",
                   higher_is_better=True)
    ratio = Series("amortize: floor / real", "x")
    by_term: dict[int, list[int]] = {}
    for index, (_, _, months) in enumerate(items):
        by_term.setdefault(months, []).append(index)
    arrays = {m: (np.array([float(items[i][0] * 100) for i in idx]),
                  np.array([float(items[i][1]) for i in idx])) for m, idx in by_term.items()}
    mismatches = 0
    for _ in range(scale.runs):
        with Stopwatch() as watch:
            schedules = [amortize(p, r, n, start) for p, r, n in items]
        with Stopwatch() as floor_watch:
            computed = {m: _schedules_numpy(p, r, m, start) for m, (p, r) in arrays.items()}
        real.add(len(items) / watch.seconds)
        floor.add(len(items) / floor_watch.seconds)
        ratio.add(watch.seconds and floor_watch.seconds and watch.seconds / floor_watch.seconds)
    # The floor computes the same figures: check a sample to the cent.
    for months, idx in by_term.items():
        installment, interest, principal, due = computed[months]
        for j in range(0, len(idx), max(1, len(idx) // 50)):
            schedule = schedules[idx[j]]
            same = (int(schedule.installment * 100) == int(installment[j])
                    and [int(row.interest * 100) for row in schedule.rows] == interest[j].astype(
                        int).tolist()[:len(schedule.rows)]
                    and [row.due_date for row in schedule.rows] == due[:len(schedule.rows)])
            mismatches += not same
    results.series += [real, floor, ratio]
    results.put("amortize", schedules_per_s=_r(real.median, 0),
                floor_schedules_per_s=_r(floor.median, 0), ratio=_r(floor.median / real.median),
                sample_mismatches=mismatches)


# --- risk scoring ---------------------------------------------------------------------------------


def _risk_bundle(log):
    from risk import ml  # scikit-learn: loaded only by the benchmark that scores

    version = ModelVersion.objects.filter(is_active=True).first()
    if version is not None:
        try:
            return bundle_for(version)
        except Exception:  # noqa: BLE001 - fall back to a fresh fit
            log(f"  active model {version.version} cannot be loaded: fitting one")
    log("  fitting the risk model (fast mode, about 5 s)")
    return ml.fit_only()


def bench_risk(results: Results, scale: Scale, log) -> None:
    from risk import ml  # scikit-learn: loaded only by the benchmark that scores

    bundle = _risk_bundle(log)
    rng = random.Random(11)
    purposes = list(ml.PURPOSES)

    def applicant():
        return {"annual_income": Decimal(rng.randrange(25_000, 200_000, 500)),
                "loan_amount": Decimal(rng.randrange(1_000, 40_001, 250)),
                "term_months": rng.choice((36, 60)),
                "purpose": rng.choice(purposes), "employment_status": "employed",
                "employment_length": rng.randrange(0, 11), "home_ownership": "RENT",
                "debt_to_income": Decimal(rng.randrange(0, 3500)) / 100,
                "credit_score": rng.randrange(600, 821)}

    singles = [applicant() for _ in range(scale.risk_singles)]
    batch = [applicant() for _ in range(scale.risk_batch)]
    ml.assess(bundle, singles[0])  # warm
    p50, p99, per_s = (Series("risk_score: one assessment p50", "ms"),
                       Series("risk_score: one assessment p99", "ms"),
                       Series(f"risk_score: batch of {len(batch):,}", "per s", higher_is_better=True))
    for _ in range(scale.runs):
        times = []
        for item in singles:
            with Stopwatch() as watch:
                ml.assess(bundle, item)
            times.append(watch.seconds * 1000)
        p50.add(percentile(times, 50))
        p99.add(percentile(times, 99))
        with Stopwatch() as watch:
            ml.assess_many(bundle, batch)
        per_s.add(len(batch) / watch.seconds)
    results.series += [p50, p99, per_s]
    results.put("risk_score", p50_ms=_r(p50.median), p99_ms=_r(p99.median),
                batch_per_s=_r(per_s.median, 0))


# --- the site under load --------------------------------------------------------------------------


def bench_http(results: Results, info: SeedInfo, scale: Scale, log) -> None:

    tokens = [_token_for(user_id) for user_id in info.lender_ids[:200]]
    if connection.in_atomic_block:
        results.notes.append("http: skipped: the data is inside an open transaction "
                             "(gunicorn could not see it)")
        results.put("http", rps=None, p50_ms=None, p99_ms=None, errors=None, skipped=True)
        return
    outcome = run_http(tokens=tokens, seconds=scale.http_seconds, clients=scale.http_clients,
                       # One process per core with 8 threads measured best here (p99 on 2
                       # cores: 2 x 8 0.58-0.80 s; 2 x 16 0.98 s; 2 x 32 5.2 s; 4 x 4 8.1 s): a
                       # thread waiting on the database does not hold up the connections behind
                       # it, and fewer threads fight less over the interpreter lock.
                       workers=int(os.environ.get("BENCH_HTTP_WORKERS", os.cpu_count() or 2)),
                       threads=int(os.environ.get("BENCH_HTTP_THREADS", 8)), log=log)
    if outcome is None:
        log(f"  http: skipped: {WRK_MISSING}")
        results.notes.append(f"http: skipped: {WRK_MISSING}")
        results.put("http", rps=None, p50_ms=None, p99_ms=None, errors=None, skipped=True)
        return
    results.series += [Series("http: requests per second", "req/s", [outcome.rps], True),
                       Series("http: p50 latency", "ms", [outcome.p50_ms]),
                       Series("http: p99 latency", "ms", [outcome.p99_ms]),
                       Series("http: errors", "errors", [outcome.errors])]
    results.put("http", rps=_r(outcome.rps, 1), p50_ms=_r(outcome.p50_ms),
                p99_ms=_r(outcome.p99_ms), errors=outcome.errors, requests=outcome.requests,
                clients=scale.http_clients, seconds=scale.http_seconds)


# --- everything -----------------------------------------------------------------------------------


def run_all(scale: Scale, *, selected=BENCHMARKS, log=print, reuse: Path | None = None) -> Results:
    """``reuse``: a file where the seed's facts are kept; if it exists (and the database holds
    that seed), seeding is skipped (for re-running read benchmarks on a kept database)."""

    results = Results(scale=scale.name)
    if reuse is not None and reuse.exists() and bench_users_exist():
        info = SeedInfo.from_json(json.loads(reuse.read_text()))
        log(f"reusing the seeded data ({reuse})")
        results.figures["seed"] = dict(info.counts, reused=True)
    else:
        log(f"seeding the {scale.name} scale...")
        with Stopwatch() as watch:
            info = seed(scale, log=log)
        log(f"  seeded in {watch.seconds:.1f} s")
        results.figures["seed"] = dict(info.counts, seconds=round(watch.seconds, 1))
        if reuse is not None:
            reuse.write_text(json.dumps(info.to_json()))
    steps = [
        ("requests", lambda: bench_requests(results, info, scale, selected)),
        ("http", lambda: bench_http(results, info, scale, log)),
        ("bot_cycle", lambda: bench_bot_cycle(results, info, scale)),
        ("servicing_day", lambda: bench_servicing(results, info, scale)),
        ("amortize", lambda: bench_amortize(results, scale)),
        ("risk_score", lambda: bench_risk(results, scale, log)),
        # Last: its listings and orders exist only while it runs.
        ("market", lambda: bench_market(results, info, scale, _request_pair, _token_for)),
    ]
    for name, step in steps:
        if name != "requests" and name not in selected:
            continue
        log(f"{name}...")
        with Stopwatch() as watch:
            step()
        log(f"  {name} done in {watch.seconds:.1f} s")
    return results
