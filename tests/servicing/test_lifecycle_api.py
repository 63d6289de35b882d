"""Issue 21 through the API, the webhook and the commands: hardship requests, recoveries,
statements (JSON, CSV, PDF; totals equal the year's distributions to the cent), a bank's
``payment.returned`` webhook, reconciliation and the statements command."""

import io
import json
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client
from pypdf import PdfReader

from investments.models import Note
from payments.gateways import SIGNATURE_HEADER, get_gateway
from payments.models import (
    Distribution,
    HardshipPlan,
    Installment,
    ReconciliationBreak,
    ReconciliationRun,
    Repayment,
)
from payments.servicing.services import repayment_pay
from tests.factories import make_staff, make_user
from tests.money import fund
from tests.servicing.test_lifecycle import at
from tests.servicing.test_servicing import active_loan, drain, servicing

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_hardship_api(risk_model, api_as):
    loan = active_loan()
    with at("2026-02-01"):
        _hardship_api(loan, api_as)


def _hardship_api(loan, api_as):
    client = api_as(loan.borrower)
    url = f"/api/loans/{loan.pk}/hardship"
    bad = client.post(url, {"type": "deferral", "months": 5, "reason": "Job loss"},
                      format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "months"
    assert client.post(url, {"type": "skip", "months": 1, "reason": "x"},
                       format="json").json()["field"] == "type"
    assert api_as(make_user()).post(url, {"type": "deferral", "months": 1, "reason": "x"},
                                    format="json").status_code == 404
    assert HardshipPlan.objects.count() == 0
    made = client.post(url, {"type": "reduced", "months": 3, "reason": "Medical bills"},
                       format="json")
    assert made.status_code == 201, made.content
    assert made.json()["plan"]["type"] == "reduced" and made.json()["plan"]["status"] == \
        "requested"
    again = client.post(url, {"type": "reduced", "months": 3, "reason": "again"}, format="json")
    assert again.status_code == 400
    lender = Note.objects.get(loan=loan).lender
    assert api_as(lender).get(url).json()["plan"]["months"] == 3


def test_the_recoveries_api(risk_model, api_as):
    loan = active_loan(shares=("700.00", "300.00"))
    drain(loan.borrower)
    staff = make_staff()
    url = f"/api/loans/{loan.pk}/recoveries"
    body = {"amount": "250.00", "source": "borrower", "receivedOn": "2026-03-01"}
    with at("2026-03-02"):
        not_yet = api_as(staff).post(url, body, format="json")
    assert not_yet.status_code == 400 and "charged-off" in not_yet.json()["error"]
    with at("2026-07-15"):
        servicing("2026-07-15")
    with at("2026-07-20"):
        assert api_as(loan.borrower).post(url, body, format="json").status_code == 403
        negative = api_as(staff).post(url, {**body, "amount": "-1"}, format="json")
        assert negative.status_code == 400 and negative.json()["field"] == "amount"
        made = api_as(staff).post(url, body, format="json")
    assert made.status_code == 201, made.content
    recovery = made.json()["recovery"]
    assert recovery["collectionFee"] == "75.00"
    rows = recovery["distributed"]
    assert [r["gross"] for r in rows] == ["175.00", "75.00"]
    assert [r["collectionFee"] for r in rows] == ["52.50", "22.50"]
    assert [r["servicingFee"] for r in rows] == ["1.22", "0.52"]
    assert [r["net"] for r in rows] == ["121.28", "51.98"]
    lender = Note.objects.filter(loan=loan).order_by("id").first().lender
    portfolio = api_as(lender).get("/api/investments/portfolio").json()
    assert portfolio["investments"][0]["recoveries"] == "121.28"
    assert portfolio["summary"]["recoveries"] == "121.28"


def test_statement_totals_equal_the_years_distributions_to_the_cent(risk_model, api_as):
    loan = active_loan(shares=("333.33", "333.33", "333.34"), rate="13.37")
    with at("2026-06-20"):
        servicing("2026-06-20")  # autopay: five installments
    lender = Note.objects.filter(loan=loan).order_by("id").first().lender
    with at("2026-06-21"):
        got = api_as(lender).get("/api/statements?year=2026").json()
    mine = Distribution.objects.filter(note__lender=lender, repayment__paid_on__year=2026)
    sums = mine.aggregate(p=Sum("principal"), i=Sum("interest"), f=Sum("servicing_fee"),
                          n=Sum("net"))
    assert got["lender"]["principalReceived"] == f"{sums['p']:.2f}"
    assert got["lender"]["interest"] == f"{sums['i']:.2f}"
    assert got["lender"]["servicingFees"] == f"{sums['f']:.2f}"
    assert got["lender"]["netReceived"] == f"{sums['n']:.2f}"
    assert got["lender"]["tradeGains"] == "0.00"
    assert sum(D(n["interest"]) for n in got["lender"]["notes"]) == D(got["lender"]["interest"])
    with at("2026-06-21"):
        borrower = api_as(loan.borrower).get("/api/statements?year=2026").json()["borrower"]
        paid = Repayment.objects.filter(loan=loan, status="completed").aggregate(
            i=Sum("interest"))["i"]
        assert borrower["interest"] == f"{paid:.2f}"
        assert D(borrower["fees"]) == loan.origination_fee
        csv_body = api_as(lender).get("/api/statements?year=2026&format=csv")
        assert csv_body["Content-Type"].startswith("text/csv")
        assert f"lender total,,,{sums['p']:.2f}" in csv_body.content.decode()
        pdf = api_as(lender).get("/api/statements?year=2026&format=pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "yearly statement 2026" in text and f"{sums['i']:.2f}" in text
        for bad in ("1999", "2027", "abc"):
            wrong = api_as(lender).get(f"/api/statements?year={bad}")
            assert wrong.status_code == 400 and wrong.json()["field"] == "year"
        page = Client()
        page.force_login(lender)
        assert page.get("/statements/?year=2026").status_code == 200
        assert page.get("/statements/?year=1900").status_code == 400


def _event(payment, **extra) -> bytes:
    return json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "payment.returned",
                       "payment_id": str(payment.pk), "amount": f"{payment.amount:.2f}",
                       "reason": "R01", **extra}).encode()


def test_the_gateways_signed_return_webhook_and_the_dev_command(risk_model, settings):
    settings.DEBUG = True  # return_payment simulates the bank: development only
    loan = active_loan()
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    with at("2026-02-16"):
        rep = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=first.total,
                            as_of=date(2026, 2, 16), method="bank_debit")
    gateway = get_gateway()
    client = Client()
    body = _event(rep.gateway_payment)
    unsigned = client.post("/api/payments/webhooks/sandbox", body,
                           content_type="application/json")
    assert unsigned.status_code == 400
    with at("2026-02-18"):
        ok = client.post("/api/payments/webhooks/sandbox", body, content_type="application/json",
                         headers={SIGNATURE_HEADER: gateway.sign(body)})
    assert ok.status_code == 200, ok.content
    rep.refresh_from_db()
    assert rep.status == "returned"
    body = _event(rep.gateway_payment)
    again = client.post("/api/payments/webhooks/sandbox", body, content_type="application/json",
                        headers={SIGNATURE_HEADER: gateway.sign(body)})
    assert again.status_code == 400 and "already returned" in again.json()["error"]
    fund(loan.borrower, "1.00")
    with at("2026-02-18"):
        wallet = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("1.00"),
                               as_of=date(2026, 2, 18))
    with pytest.raises(CommandError, match="wallet cash"):
        call_command("return_payment", repayment=wallet.pk)
    with pytest.raises(CommandError, match="already returned"):
        call_command("return_payment", repayment=rep.pk)
    with pytest.raises(CommandError, match="Unknown payment"):
        call_command("return_payment", payment=str(uuid.uuid4()))


def _first_installment_paid_by_bank_debit_on_feb_16():
    loan = active_loan()
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    with at("2026-02-16"):
        repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=first.total,
                      as_of=date(2026, 2, 16), method="bank_debit")


def test_reconcile_matches_the_sandbox_file_and_reports_every_kind_of_break(risk_model,
                                                                            tmp_path, settings):
    settings.SETTLEMENT_FILES_DIR = tmp_path
    _first_installment_paid_by_bank_debit_on_feb_16()
    with at("2026-02-16"):
        out = io.StringIO()
        call_command("reconcile", date="2026-02-16", stdout=out)
    assert "0 breaks" in out.getvalue().splitlines()[-1]
    clean = (tmp_path / "sandbox-2026-02-16.csv").read_text().splitlines()
    assert clean[0] == "id,type,amount,status,date" and len(clean) >= 2
    broken = tmp_path / "broken.csv"
    first_line = clean[1].split(",")
    wrong_amount = [first_line[0], first_line[1], "1.00", *first_line[3:]]
    broken.write_text("\n".join([clean[0], ",".join(wrong_amount), ",".join(wrong_amount),
                                 "gateway:nope:settle,deposit,5.00,settled,2026-02-16"]) + "\n")
    with pytest.raises(CommandError, match="breaks"):
        call_command("reconcile", date="2026-02-16", file=str(broken), stdout=io.StringIO())
    run = ReconciliationRun.objects.latest("id")
    kinds = sorted(run.breaks.values_list("kind", flat=True))
    assert kinds == sorted([ReconciliationBreak.Kind.DUPLICATE,
                            ReconciliationBreak.Kind.AMOUNT_MISMATCH,
                            ReconciliationBreak.Kind.MISSING_IN_LEDGER]
                           + [ReconciliationBreak.Kind.MISSING_IN_FILE] * (len(clean) - 2))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reconcile", date="2026-13-01")
    with pytest.raises(CommandError, match="header"):
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n1,2\n")
        call_command("reconcile", date="2026-02-16", file=str(bad))


def test_the_nightly_task_writes_yesterdays_settlement_file_and_reconciles_it(risk_model,
                                                                             tmp_path, settings):
    from django_celery_beat.models import PeriodicTask

    from payments.tasks import reconcile_yesterday

    settings.SETTLEMENT_FILES_DIR = tmp_path
    _first_installment_paid_by_bank_debit_on_feb_16()
    with at("2026-02-17"):
        result = reconcile_yesterday()
    assert result["day"] == "2026-02-16" and result["breaks"] == 0
    lines = (tmp_path / "sandbox-2026-02-16.csv").read_text().splitlines()
    run = ReconciliationRun.objects.get(pk=result["run"])
    assert run.file_lines == len(lines) - 1 >= 1 and run.matched == run.file_lines
    # A gateway's own file already in place is the one read: a line it lacks is a break.
    (tmp_path / "sandbox-2026-02-16.csv").write_text(lines[0] + "\n")
    with at("2026-02-17"):
        assert reconcile_yesterday()["breaks"] == len(lines) - 1
    task = PeriodicTask.objects.get(task="payments.tasks.reconcile_yesterday")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("1", "15")


def test_the_statements_command(risk_model, tmp_path):
    loan = active_loan()
    with at("2026-03-20"):
        servicing("2026-03-20")
        out = io.StringIO()
        call_command("statements", year="2026", format="pdf", out=str(tmp_path), stdout=out)
        assert out.getvalue().splitlines()[-1].startswith("statements 2026: 2 PDF file(s)")
        call_command("statements", year="2026", user=loan.borrower.email, out=str(tmp_path),
                     stdout=io.StringIO())
        with pytest.raises(CommandError, match="between"):
            call_command("statements", year="2031")
        with pytest.raises(CommandError, match="No user"):
            call_command("statements", year="2026", user="nobody@example.com")


def test_staff_record_a_recovery_in_the_admin_and_support_cannot(risk_model):
    from payments.models import Recovery
    from tests.factories import make_staff_in

    loan = active_loan()
    drain(loan.borrower)
    with at("2026-07-15"):
        servicing("2026-07-15")
    admin_client, support = Client(), Client()
    admin_client.force_login(make_staff())
    support.force_login(make_staff_in("Support"))
    body = {"loan_id": loan.pk, "amount": "90.00", "source": "debt_sale",
            "received_on": "2026-07-16", "key": "admin-1"}
    with at("2026-07-20"):
        assert admin_client.get("/admin/payments/recovery/add/").status_code == 200
        assert support.post("/admin/payments/recovery/add/", body).status_code == 403
        wrong = admin_client.post("/admin/payments/recovery/add/", {**body, "loan_id": 999999})
        assert wrong.status_code == 400 and Recovery.objects.count() == 0
        done = admin_client.post("/admin/payments/recovery/add/", body)
    assert done.status_code == 302
    recovery = Recovery.objects.get()
    assert recovery.collection_fee == D("27.00") and recovery.shares.count() == 1
    assert admin_client.get(f"/admin/payments/recovery/{recovery.pk}/change/").status_code == 200
