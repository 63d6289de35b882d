"""The events API consumers receive (API.md, "Webhook events"), from the services that cause
them: bid.outbid, bid.won and loan.funded from the marketplace, note.payment_received from both
servicing paths (the batch and one loan at a time), note.charged_off."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from accounts.integrations import webhook_endpoint_create
from accounts.models import WebhookDelivery
from investments.models import Note
from loans import services as market
from payments.models import Distribution
from payments.servicing.services import repayment_pay
from tests.factories import make_user
from tests.money import fund
from tests.servicing.test_servicing import START, active_loan, drain, servicing

pytestmark = pytest.mark.django_db
D = Decimal
EVERYTHING = ["loan.funded", "bid.won", "bid.outbid", "note.payment_received",
              "note.charged_off"]


def subscribe(*users):
    for user in users:
        webhook_endpoint_create(user=user, url="http://127.0.0.1:9/hook", events=EVERYTHING)


def events(user, event) -> list[dict]:
    return [d.payload["data"] for d in WebhookDelivery.objects.filter(
        endpoint__user=user, event=event).order_by("id")]


def test_outbid_won_and_funded(risk_model):
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        first, second = make_user(), make_user()
        subscribe(borrower, first, second)
        loan = market.loan_apply(borrower=borrower, amount=D("1000.00"), term_months=12,
                                 purpose="car", max_rate=D("30"), staff_grade="C")
        for lender in (first, second):
            fund(lender, "1000.00")
        market.bid_place(lender=first, loan_id=loan.pk, amount=D("1000.00"), rate=D("20"))
        assert events(first, "bid.outbid") == []
        second_bid = market.bid_place(lender=second, loan_id=loan.pk, amount=D("1000.00"),
                                      rate=D("15"))
        [outbid] = events(first, "bid.outbid")
        assert outbid["loanId"] == loan.pk and outbid["acceptedAmountBefore"] == "1000.00"
        assert outbid["acceptedAmount"] == "0.00" and outbid["rate"] == "20.0000"
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    [won] = events(second, "bid.won")
    assert (won["bidId"], won["acceptedAmount"], won["status"]) == (second_bid.pk, "1000.00",
                                                                      "won")
    assert events(first, "bid.won") == []
    [funded_borrower] = events(borrower, "loan.funded")
    assert funded_borrower["role"] == "borrower" and funded_borrower["amount"] == "1000.00"
    assert D(funded_borrower["amountReceived"]) == D("1000.00") - D(
        funded_borrower["originationFee"])
    [funded_lender] = events(second, "loan.funded")
    assert funded_lender["yourAmount"] == "1000.00"


def test_each_note_hears_of_its_share_of_an_autopay_in_the_batch(risk_model):
    loan = active_loan(amount="1000.00", shares=("600.00", "400.00"))
    notes = list(Note.objects.filter(loan=loan).order_by("id"))
    lenders = [n.lender for n in notes]
    subscribe(*lenders)
    servicing("2026-02-15")  # the first installment, on autopay: the batch path
    for note, lender in zip(notes, lenders, strict=True):
        [event] = events(lender, "note.payment_received")
        dist = Distribution.objects.get(note=note)
        assert event["noteId"] == note.pk and event["receivedOn"] == "2026-02-15"
        assert (D(event["principal"]), D(event["interest"]), D(event["servicingFee"]),
                D(event["net"])) == (dist.principal, dist.interest, dist.servicing_fee, dist.net)
        assert event["paymentId"] == dist.repayment_id
    servicing("2026-02-15")  # run again: nothing twice
    assert WebhookDelivery.objects.filter(event="note.payment_received").count() == 2


def test_a_payment_by_hand_is_heard_too(risk_model):
    loan = active_loan()
    lender = Note.objects.get(loan=loan).lender
    subscribe(lender)
    with time_machine.travel(date(2026, 1, 20), tick=False):
        repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("50.00"),
                                  as_of=date(2026, 1, 20))
    [event] = events(lender, "note.payment_received")
    assert event["paymentId"] == repayment.pk and D(event["net"]) == Distribution.objects.get(
        repayment=repayment).net


def test_a_charge_off_is_heard_by_every_note(risk_model):
    loan = active_loan(shares=("700.00", "300.00"))
    lenders = [n.lender for n in Note.objects.filter(loan=loan).order_by("id")]
    subscribe(*lenders)
    drain(loan.borrower)
    servicing("2026-07-15")  # 150 days past due
    assert [events(lender, "note.charged_off")[0]["chargedOffPrincipal"]
            for lender in lenders] == ["700.00", "300.00"]
    assert all(events(lender, "note.payment_received") == [] for lender in lenders)
