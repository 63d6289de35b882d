"""State builders and reports for the fault tests, run in a subprocess against a throwaway
database: ``python -m tests.faults.scenario <function> '<json kwargs>'``. The last line printed
is the function's result as JSON.

The fault tests drive real processes (Celery workers, gunicorn) on their own PostgreSQL and
Redis, so their state cannot live in pytest-django's test database; it is built here through
the same services users go through (STYLE.md rule 8).
"""

import json
import os
import sys
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO

D = Decimal


def register_model(*, path: str, sha256: str) -> dict:
    from risk import ml
    from risk.services import model_version_register

    bundle = ml.load_bundle(path, sha256)
    version = model_version_register(bundle=bundle, artifact_path=path, artifact_sha256=sha256)
    return {"version": version.version}


def _borrower(email: str, **profile):
    from tests.factories import make_user

    return make_user(email, first_name=email.split("@")[0].title(), verified=True, **profile)


def active_loans(*, loans: int, disbursed_days_ago: int | None = None) -> dict:
    """``loans`` active loans, one borrower and one lender each, disbursed a month ago (so the
    first installment falls due today) with autopay on and the cash for it in the wallet."""
    import time_machine
    from django.utils import timezone

    from loans import services as market
    from payments.amortization import add_months
    from tests.factories import make_user
    from tests.money import fund

    today = timezone.localdate()
    start = add_months(today, -1) if disbursed_days_ago is None else (
        today - timedelta(days=disbursed_days_ago))
    ids = []
    with time_machine.travel(datetime.combine(start, time(12), tzinfo=timezone.get_current_timezone()),
                             tick=False):
        for n in range(loans):
            borrower = _borrower(f"borrower{n}@faults.example.com")
            loan = market.loan_apply(borrower=borrower, amount=D("1200.00"), term_months=12,
                                     purpose="car", max_rate=D("25.00"), staff_grade="B")
            lender = make_user(f"lender{n}@faults.example.com")
            fund(lender, "1200.00")
            market.bid_place(lender=lender, loan_id=loan.pk, amount=D("1200.00"),
                             rate=D("12.00"))
            market.loan_accept(borrower=borrower, loan_id=loan.pk)
            ids.append(loan.pk)
    return {"loan_ids": ids, "today": today.isoformat()}


def bot_market(*, listings: int) -> dict:
    """The six bots, running, and ``listings`` open listings they want to bid on."""
    from communitylend.demo.market import seed_bots
    from loans import services as market

    seed_bots()
    ids = []
    for n in range(listings):
        borrower = _borrower(f"listing{n}@faults.example.com", credit_score=790)
        loan = market.loan_apply(borrower=borrower, amount=D("2000.00"), term_months=36,
                                 purpose="debt_consolidation", max_rate=D("25.00"),
                                 staff_grade="A")
        ids.append(loan.pk)
    return {"loan_ids": ids}


def ledger_check() -> dict:
    from django.core.management import CommandError, call_command

    out = StringIO()
    try:
        call_command("ledger_check", stdout=out)
    except CommandError as exc:
        return {"ok": False, "output": out.getvalue() + str(exc)}
    return {"ok": True, "output": out.getvalue().strip().splitlines()[-1]}


def servicing_report(*, loan_ids: list[int]) -> dict:
    """Per loan: completed payments, ledger postings of repayments, first installment status;
    per borrower: the wallet; and the ledger check."""
    from django.db.models import Count

    from loans.models import Loan
    from payments.models import Installment, LedgerTransaction, Repayment
    from payments.selectors import wallet_balances

    payments = dict(Repayment.objects.filter(loan_id__in=loan_ids, status="completed")
                    .values_list("loan_id").annotate(n=Count("id")))
    postings = {loan_id: LedgerTransaction.objects.filter(
        pk__in=Repayment.objects.filter(loan_id=loan_id).values("ledger_transaction_id")).count()
        for loan_id in loan_ids}
    loans = {}
    for loan in Loan.objects.filter(pk__in=loan_ids).order_by("pk"):
        first = Installment.objects.get(loan=loan, number=1)
        loans[str(loan.pk)] = {
            "payments": payments.get(loan.pk, 0), "postings": postings[loan.pk],
            "first_installment": first.status, "installment": str(first.total),
            "disbursed": str(loan.amount - loan.origination_fee),
            "available": str(wallet_balances(loan.borrower_id)["available"]),
            "outstanding": str(loan.outstanding_principal),
        }
    return {"loans": loans, "ledger": ledger_check()}


def bots_report(*, loan_ids: list[int]) -> dict:
    """Per bot: open bids per listing, the held balance against the open bids' total, when it
    last ran; and the ledger check."""
    from django.db.models import Count, Sum

    from bots.models import BotCycleLock, BotDecision, BotLender
    from loans.models import Bid
    from payments.selectors import wallet_balances

    bots = {}
    for bot in BotLender.objects.order_by("pk"):
        open_bids = Bid.objects.filter(lender_id=bot.user_id, loan_id__in=loan_ids, status="open")
        per_loan = list(open_bids.values("loan_id").annotate(n=Count("id"))
                        .values_list("n", flat=True))
        bots[bot.name] = {
            "open_bids": open_bids.count(), "max_bids_per_listing": max(per_loan, default=0),
            "open_total": str(open_bids.aggregate(t=Sum("amount"))["t"] or D("0.00")),
            "held": str(wallet_balances(bot.user_id)["held"]),
            "last_run_at": bot.last_run_at.isoformat() if bot.last_run_at else None,
            "decisions": BotDecision.objects.filter(bot=bot).count(),
        }
    lock = BotCycleLock.objects.filter(pk=1).first()
    return {"bots": bots, "ledger": ledger_check(),
            "lock_holder": lock.holder if lock else None,
            "open_bid_ids": sorted(Bid.objects.filter(loan_id__in=loan_ids, status="open")
                                   .values_list("id", flat=True))}


def notifications_report() -> dict:
    from accounts.models import Notification

    return {"by_status": {status: Notification.objects.filter(email_status=status).count()
                          for status in ("pending", "sending", "sent", "failed", "skipped")},
            "emailed": sorted(Notification.objects.filter(email_status="sent")
                              .values_list("title", flat=True))}


def outbox_sweep_every(*, seconds: int) -> dict:
    """Celery beat's schedule for the test: only the notification outbox sweep, every
    ``seconds`` (it runs every minute on the real site)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=seconds,
                                                      period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.exclude(task="accounts.tasks.notifications_flush").update(enabled=False)
    changed = PeriodicTask.objects.filter(task="accounts.tasks.notifications_flush").update(
        interval=every, crontab=None, enabled=True)
    return {"sweeps": changed}


def api_token(*, email: str) -> dict:
    from accounts.models import User
    from accounts.services import api_token_issue

    return {"token": api_token_issue(user=User.objects.get(email=email), second_factor=False)}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communitylend.settings")
    import django

    django.setup()
    function = globals()[argv[1]]
    kwargs = json.loads(argv[2]) if len(argv) > 2 else {}
    print(json.dumps(function(**kwargs), default=str))


if __name__ == "__main__":
    main(sys.argv)
