"""The ``market`` benchmark: ``GET /api/market/listings`` against its floor, and one order-
matching cycle over every standing order (API.md: {ms, floor_ms, ratio, queries,
match_cycle_seconds}).

Its rows are bulk-inserted like the rest of the bench's data (listings on the serviced loans'
notes, with figures in the ranges real ones take; standing orders of the bench's lenders) when
the benchmark starts, and deleted when it ends, so the other benchmarks never see them. The
orders are built so that every listing is checked against the orders of its grade and none
matches (their minimum yields are above every listing's): the cycle measures the matching over
all of them, not the trades (a trade is the ``listing_buy`` service, measured by the tests)."""

import json
import random
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from djangorestframework_camel_case.util import underscoreize

from bots.market import market_match_run
from communitylend.core.bulk import insert_rows
from communitylend.core.money import GRADES
from investments.models import BuyOrder, Listing, ListingStatus, Note, NoteStatus

from . import floors
from .measure import Series

D = Decimal


def seed_market(scale, info, rng: random.Random) -> tuple[int, int]:
    now = timezone.now()
    today = timezone.localdate()
    notes = list(Note.objects.filter(status=NoteStatus.ACTIVE).select_related("loan")
                 .order_by("pk")[:scale.market_listings])
    rows = []
    for note in notes:
        accrued = (note.outstanding_principal * note.rate / 1200 * D(rng.random())).quantize(
            D("0.01"))
        percent = D(rng.randint(9500, 11000)) / 100
        price = ((note.outstanding_principal + accrued) * percent / 100).quantize(D("0.01"))
        rows.append((note.pk, note.lender_id, note.loan_id, note.loan.risk_grade, price,
                     ListingStatus.LISTED, "", note.outstanding_principal, accrued, percent,
                     D(rng.randint(200, 1500)) / 100, note.loan.term_months, today, now, now))
    insert_rows(Listing, ["note", "seller", "loan", "grade", "price", "status",
                          "suspended_reason", "outstanding_principal", "accrued_interest",
                          "price_percent", "yield_to_maturity", "remaining_payments",
                          "figures_on", "created_at", "updated_at"], rows)
    orders = []
    for i in range(scale.market_orders):
        grades = sorted(rng.sample(GRADES, rng.randint(1, 3)))
        orders.append((info.lender_ids[i % len(info.lender_ids)], json.dumps(grades), 1,
                       rng.choice((12, 24, 36, 60)), D(rng.randint(9000, 11000)) / 100,
                       D(rng.randint(2000, 4000)) / 100, D("500.00"), D("2000.00"), D("0.00"),
                       True, now, now))
    insert_rows(BuyOrder, ["buyer", "grades", "term_left_min", "term_left_max",
                           "max_price_percent", "min_yield", "max_per_note", "budget", "spent",
                           "enabled", "created_at", "updated_at"], orders)
    return len(rows), len(orders)


def fresh_statistics() -> None:
    """Statistics on the market's tables after the bulk insert, as autovacuum leaves them within
    a minute of a change this size (the seed does the same for its own tables). Without them
    PostgreSQL plans the list on the statistics of the empty table the seed analyzed: it expects
    about 50 listed notes, so it reads and joins all 50,000 and sorts them (about 50 ms a page)
    instead of walking the price index for 51 (under a millisecond). VACUUM
    also clears the rows an earlier run deleted (``--reuse``); it cannot run in a transaction
    (the test suite's)."""
    command = ("VACUUM ANALYZE" if connection.vendor == "postgresql"
               and not connection.in_atomic_block else "ANALYZE")
    with connection.cursor() as cursor:
        for model in (Listing, BuyOrder):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def bench_market(results, info, scale, request_pair, token_for) -> None:
    first_listing = (Listing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    first_order = (BuyOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    with transaction.atomic():
        listed, ordered = seed_market(scale, info, random.Random(20261203))
    fresh_statistics()
    try:
        with override_settings(ROOT_URLCONF="communitylend.bench.urls",
                               ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
            api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(info.lender_ids[0])}")
            page = api.get("/api/market/listings", {"limit": 50})
            assert page.status_code == 200, page.status_code
            floors.FIXED["market_listings"] = underscoreize(page.json())
            request_pair(results, "market", api, "/api/market/listings",
                         "/bench-floor/api/market/listings", {"limit": 50}, scale)
        cycles = Series("market: seconds per order-matching cycle", "s")
        trades = []
        for _ in range(scale.runs):
            report = market_match_run()
            cycles.add(report.seconds)
            trades.append(report.trades)
        results.series.append(cycles)
        results.put("market", match_cycle_seconds=round(cycles.median, 3),
                    listings=listed, orders=ordered, trades=max(trades))
    finally:
        with transaction.atomic():
            Listing.objects.filter(pk__gt=first_listing, trade__isnull=True).delete()
            BuyOrder.objects.filter(pk__gt=first_order, trades__isnull=True).delete()
