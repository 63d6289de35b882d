"""Every list endpoint and page answers in a fixed number of SQL queries, whatever the number of
rows: the same for a lender with one bid as for one with dozens, and within a budget, so that an
N+1 query fails here before it reaches production (the bench measures the same at 100,000
listings)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.flags import flags_state
from accounts.models import User
from communitylend.bench.scale import SCALES
from communitylend.bench.seed import seed
from loans.models import Loan, LoanStatus
from loans.services import bid_place
from payments.services import wallet_deposit
from tests.factories import api_client_for, make_staff, make_user

from .conftest import page_client

# (url, budget). {loan}: an open listing; {serviced}: an active loan of the payer; {me}: the
# requesting user.
LISTS = [
    ("/api/loans?limit=50", 6),
    ("/api/loans?limit=50&sortBy=amount&sortOrder=asc&riskGrade=A,B", 6),
    ("/api/loans?status=all&limit=50", 6),
    ("/api/loans/{loan}", 4),
    ("/api/loans/{loan}/bids", 4),
    ("/api/bids", 4),
    ("/api/notifications", 4),
    ("/api/wallet/transactions", 4),
    ("/api/users/documents", 4),
    # 6, + hardship plans and recoveries of the notes, + the market: the open notes' schedules
    # (model values) and the notes sold.
    ("/api/investments/portfolio", 10),
    ("/api/auto-invest", 4),
    ("/api/ml/loan-matching/{me}", 8),
    ("/marketplace/", 6),
    ("/marketplace/?grade=A&grade=B&sort=-amount&page=2", 6),
    ("/marketplace/matches/", 10),
    ("/my/loans/", 6),
    ("/my/bids/", 6),
    ("/loans/{loan}/", 6),
    ("/loans/{loan}/live/", 6),
    # 10, + hardship plans and recoveries of the notes, + the market: schedules, notes sold,
    # open listings
    ("/portfolio/", 15),
    ("/wallet/", 8),
    ("/notifications/", 6),
    ("/auto-invest/", 8),
    ("/lender/", 6),
    ("/borrower/", 6),
]
PAYER_LISTS = [("/api/payments/history/{serviced}", 8), ("/loans/{serviced}/schedule/", 12)]


def _queries(user, url: str) -> tuple[int, int]:
    client = api_client_for(user) if url.startswith("/api/") else page_client(user)
    # The feature flags' overrides are read once per FEATURE_FLAG_CACHE_SECONDS for the whole
    # process (one query on a miss), not per request: measured warm, as a busy site runs.
    flags_state()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # A cache miss that still happens (the 5-second cache expired on a slow machine between the
    # warm-up and the request) is the process's, not the page's: not counted.
    return response.status_code, sum(1 for q in ctx.captured_queries
                                      if "accounts_featureflagoverride" not in q["sql"])


def _open_listing(market) -> Loan:
    return Loan.objects.filter(status=LoanStatus.LISTED, funding_deadline__gt=market.now,
                               max_rate__gte=Decimal("10")).order_by("pk").first()


@pytest.fixture
def one_bid_lender(market):
    lender = make_user("one.bid@example.com", first_name="Uma")
    wallet_deposit(user=lender, amount=Decimal("500.00"))
    loan = _open_listing(market)
    bid_place(lender=lender, loan_id=loan.pk, amount=Decimal("25.00"), rate=loan.max_rate)
    return lender


def test_lists_and_pages_cost_the_same_queries_for_one_row_as_for_dozens(market, one_bid_lender):
    busy = User.objects.get(pk=market.lender_ids[0])
    assert busy.bids.count() > 20 and busy.notes.exists()
    loan = _open_listing(market)
    failures = []
    for template, budget in LISTS:
        counts = {}
        for user in (one_bid_lender, busy):
            url = template.format(loan=loan.pk, me=user.pk)
            status, counts[user.pk] = _queries(user, url)
            assert status == 200, (url, status)
        few, many = counts[one_bid_lender.pk], counts[busy.pk]
        if few != many or many > budget:
            failures.append(f"{template}: {few} queries for one row, {many} for dozens "
                            f"(budget {budget})")
    assert not failures, "\n".join(failures)


def test_a_loans_schedule_and_history_stay_within_budget(market):
    loan = Loan.objects.get(pk=market.serviced_loan_ids[0])
    staff = make_staff()
    for template, budget in PAYER_LISTS:
        for user in (loan.borrower, staff):
            status, count = _queries(user, template.format(serviced=loan.pk))
            assert status == 200
            assert count <= budget, (template, count, budget)


def test_the_bot_dashboard_stays_within_budget(market):
    status, count = _queries(make_staff(), "/admin/bots/")
    assert status == 200 and count <= 12, count


def test_loans_list_costs_the_same_queries_at_300_listings_as_at_a_handful(db):
    viewer = make_user("viewer@example.com")
    from tests.bots.conftest import bulk_listings, make_borrower

    bulk_listings([make_borrower(700)], 5)
    before = [_queries(viewer, url)[1] for url in ("/api/loans?limit=50&sortBy=createdAt",
                                                   "/marketplace/")]
    seed(SCALES["small"], log=lambda *_: None)
    assert Loan.objects.filter(status=LoanStatus.LISTED).count() > 300
    after = [_queries(viewer, url)[1] for url in ("/api/loans?limit=50&sortBy=createdAt",
                                                  "/marketplace/")]
    assert before == after
    assert after[0] <= 6
    # A deep keyset page costs the same queries as the first.
    client = api_client_for(viewer)
    cursor = client.get("/api/loans?limit=50").json()["pagination"]["nextCursor"]
    for _ in range(4):
        cursor = client.get(f"/api/loans?limit=50&after={cursor}").json()["pagination"][
            "nextCursor"]
    assert _queries(viewer, f"/api/loans?limit=50&after={cursor}")[1] == after[0]
