"""Synthetic data at scale for the benchmarks, written straight into a database the bench owns.

What is written is what the services would have left behind, only faster: open listings with
their order books (each bid's hold posted in the ledger), active loans with their notes, won bids,
schedules and disbursements, lenders' and borrowers' deposits. Every ledger transaction balances
and every cached balance equals the sum of its legs (``check_ledger`` proves it after seeding).
The six bots are created through their own services.

Time layout (all relative to the moment of seeding, ``now``):

- every listing is open now; ``Scale.bot_listings`` of them close in 10-13 days, the rest within
  2 days, so the bot cycle, run at ``now + 3 days``, sees exactly the bot listings open;
- the serviced loans were all disbursed on ``day0``; installment k falls due k months later, so
  servicing day r (``add_months(day0, r)``) has every serviced loan with an installment due.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User, VerificationStatus
from communitylend.core.bulk import AnyOf, insert_rows, reserve_ids
from communitylend.core.money import GRADES, TERMS, ZERO, cents
from communitylend.demo.market import seed_bots
from investments.models import Note, NoteStatus
from loans.auction import BidView, clear
from loans.disbursement import loan_reference
from loans.models import Bid, BidStatus, Loan, LoanStatus, Purpose, origination_fee
from loans.services import apr_percent
from payments.amortization import add_months, amortize
from payments.ledger import (
    AccountRef,
    Posting,
    credit,
    debit,
    ledger_settle,
    ledger_write_many,
    platform_account,
)
from payments.models import Account, AccountKind, Installment, InstallmentStatus
from payments.servicing.allocation import split_largest_remainder

from .scale import Scale

D = Decimal
EMAIL_DOMAIN = "bench.communitylend.local"
# Representative (floor, recommended) rates per grade, as the risk model prices a 36-month loan.
GRADE_RATES = {"A": (D("5.04"), D("7.95")), "B": (D("5.82"), D("8.90")),
               "C": (D("6.55"), D("9.30")), "D": (D("7.45"), D("10.30")),
               "E": (D("9.70"), D("12.50"))}
LISTING_AMOUNTS = [1000, 1500, 2500, 4000, 5000, 8000, 10000, 12000, 15000, 20000, 25000, 40000]
BID_AMOUNTS = [25, 50, 75, 100, 150, 250, 500, 1000]
SERVICED_AMOUNTS = [2500, 5000, 7500, 10000, 12000, 15000, 20000]
SERVICED_RATES = [D("6.50"), D("7.25"), D("8.90"), D("10.50"), D("12.75"), D("15.00")]
SERVICED_TERMS = (12, 24, 36)
BOT_TIME_OFFSET = timedelta(days=3)


class AlreadySeeded(Exception):
    pass


@dataclass
class SeedInfo:
    now: datetime
    bot_now: datetime
    day0: date
    lender_ids: list[int]
    listing_ids: list[int]
    serviced_loan_ids: list[int]
    counts: dict = field(default_factory=dict)

    def servicing_day(self, run: int) -> date:
        return add_months(self.day0, run)

    def to_json(self) -> dict:
        return {"now": self.now.isoformat(), "bot_now": self.bot_now.isoformat(),
                "day0": self.day0.isoformat(), "lender_ids": self.lender_ids,
                "listing_ids": self.listing_ids, "serviced_loan_ids": self.serviced_loan_ids,
                "counts": self.counts}

    @classmethod
    def from_json(cls, data: dict) -> "SeedInfo":
        return cls(now=datetime.fromisoformat(data["now"]),
                   bot_now=datetime.fromisoformat(data["bot_now"]),
                   day0=date.fromisoformat(data["day0"]), lender_ids=data["lender_ids"],
                   listing_ids=data["listing_ids"], serviced_loan_ids=data["serviced_loan_ids"],
                   counts=data["counts"])


def bench_users_exist() -> bool:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()


# --- the ledger, built in memory and written in bulk --------------------------------------------


class LedgerBuilder:
    """Balanced transactions kept in memory, then written by the ledger's own batch writer: the
    accounts are created empty, each transaction's legs are built with the ledger's ``debit`` /
    ``credit`` and posted with ``ledger_write_many`` + ``ledger_settle`` (its checks, its
    fingerprints, its balances), so the seeded books are written the way servicing writes them."""

    def __init__(self, now: datetime):
        self.now = now
        self.accounts: dict[str, dict] = {}
        self.txns: list[tuple[str, str, str, list[tuple[str, Decimal, Decimal]]]] = []

    def user(self, user_id: int, kind: str) -> str:
        code = f"user:{user_id}:{kind}"
        self.accounts.setdefault(code, {"kind": kind, "user_id": user_id, "reference": ""})
        return code

    def loan(self, loan_id: int) -> str:
        reference = loan_reference(loan_id)
        code = f"{reference}:{AccountKind.LOAN_PRINCIPAL}"
        self.accounts.setdefault(code, {"kind": AccountKind.LOAN_PRINCIPAL, "user_id": None,
                                        "reference": reference})
        return code

    def platform(self, kind: str) -> str:
        code = f"platform:{kind}"
        self.accounts.setdefault(code, {"kind": kind, "user_id": None, "reference": ""})
        return code

    def post(self, kind: str, key: str, memo: str, legs: list[tuple[str, Decimal, Decimal]]):
        self.txns.append((kind, key, memo, legs))

    def write(self) -> tuple[int, int]:
        refs = {a.code: AccountRef(a.pk) for a in Account.objects.filter(
            AnyOf(F("code"), list(self.accounts)))}
        new_codes = [code for code in self.accounts if code not in refs]
        ids = dict(zip(new_codes, reserve_ids(Account, len(new_codes)), strict=True))
        insert_rows(Account, ["id", "code", "kind", "user", "reference", "balance", "created_at"],
                    ((ids[code], code, self.accounts[code]["kind"], self.accounts[code]["user_id"],
                      self.accounts[code]["reference"], ZERO, self.now) for code in new_codes))
        refs.update((code, AccountRef(pk)) for code, pk in ids.items())
        postings = [Posting(kind=kind, idempotency_key=key, memo=memo,
                            legs=[debit(refs[code], amount_out) if amount_out
                                  else credit(refs[code], amount_in)
                                  for code, amount_out, amount_in in legs])
                    for kind, key, memo, legs in self.txns]
        ledger_settle(ledger_write_many(postings))
        return len(postings), sum(len(p.legs) for p in postings)


def check_ledger() -> list[str]:
    """Set-based: unbalanced transactions and cached balances that differ from their legs."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT transaction_id FROM payments_ledgerleg GROUP BY transaction_id "
                       "HAVING ROUND(SUM(debit) - SUM(credit), 2) <> 0 LIMIT 5")
        problems += [f"transaction {row[0]} does not balance" for row in cursor.fetchall()]
        cursor.execute(
            "SELECT a.id FROM payments_account a LEFT JOIN (SELECT account_id, "
            "SUM(credit) - SUM(debit) AS total FROM payments_ledgerleg GROUP BY account_id) s "
            "ON s.account_id = a.id WHERE ROUND(a.balance - COALESCE(s.total, 0), 2) <> 0 LIMIT 5")
        problems += [f"account {row[0]}: cached balance differs from its legs"
                     for row in cursor.fetchall()]
    return problems


# --- people -------------------------------------------------------------------------------------


def _users(prefix: str, count: int, rng: random.Random, now: datetime, *, lender=False,
           borrower=False) -> list[int]:
    users = []
    for i in range(count):
        income = D(rng.randrange(30_000, 180_000, 1_000))
        users.append(User(
            email=f"{prefix}{i}@{EMAIL_DOMAIN}", password="!bench", first_name=f"{prefix.title()}{i}",
            last_name="Bench", is_lender=lender, is_borrower=borrower, profile_completed=True,
            verification_status=VerificationStatus.VERIFIED, verified_at=now,
            phone="555-0100", date_of_birth=date(1980, 1, 1) + timedelta(days=rng.randrange(7000)),
            street="1 Bench Street", city="Springfield", state="IL", zip_code="62701",
            annual_income=income, monthly_debt=cents(income * D(rng.randrange(5, 35)) / 1200),
            employment_status="employed", employment_length=rng.randrange(0, 11),
            credit_score=rng.randrange(600, 821), home_ownership=rng.choice(["RENT", "OWN",
                                                                             "MORTGAGE"]),
        ))
    return [u.pk for u in User.objects.bulk_create(users, batch_size=2000)]


# --- listings and their order books ------------------------------------------------------------


_terms_cache: dict = {}


def _listing_terms(amount: Decimal, rate: Decimal, term: int, grade: str):
    key = (amount, rate, term, grade)
    if key not in _terms_cache:
        schedule = amortize(amount, rate, term, date(2026, 1, 15))
        fee = origination_fee(amount, grade)
        _terms_cache[key] = (schedule.installment, schedule.total_payment, fee,
                             apr_percent(amount - fee, [row.payment for row in schedule.rows]))
    return _terms_cache[key]


def _seed_listings(scale: Scale, rng, now, borrower_ids, lender_ids, ledger: LedgerBuilder,
                   lender_needs: dict[int, Decimal]) -> list[int]:
    purposes = list(Purpose.values)
    loans, books = [], []
    first_bot_listing = scale.listings - scale.bot_listings
    for i in range(scale.listings):
        grade = rng.choice(GRADES)
        floor, recommended = GRADE_RATES[grade]
        amount = D(rng.choice(LISTING_AMOUNTS))
        term = rng.choice(TERMS)
        max_rate = recommended + rng.randint(2, 6)
        payment, total, fee, apr = _listing_terms(amount, max_rate, term, grade)
        if i >= first_bot_listing:
            deadline = now + timedelta(days=10, minutes=rng.randrange(3 * 24 * 60))
        else:
            deadline = now + timedelta(hours=1, minutes=rng.randrange(46 * 60))
        book = []
        for lender_id in rng.sample(lender_ids, rng.randint(0, 2 * scale.bids_per_listing)):
            bid_amount = min(D(rng.choice(BID_AMOUNTS)), amount)
            rate = floor + cents(D(rng.random()) * (max_rate - floor))
            placed_at = now - timedelta(minutes=rng.randrange(60 * 24 * 3))
            book.append([None, lender_id, bid_amount, rate, placed_at])
            lender_needs[lender_id] += bid_amount
        loans.append(Loan(
            borrower_id=rng.choice(borrower_ids), requested_amount=amount, amount=amount,
            max_rate=max_rate, term_months=term, purpose=rng.choice(purposes),
            description="Synthetic listing for the benchmark.", status=LoanStatus.LISTED,
            risk_grade=grade, model_grade=grade, ml_score=rng.randrange(5, 95),
            probability_default=D(rng.randrange(200, 3000)) / 10000, recommended_rate=recommended,
            floor_rate=floor, monthly_payment=payment, total_payment=total, origination_fee=fee,
            apr=apr, funding_deadline=deadline))
        books.append(book)
    bid_ids = iter(reserve_ids(Bid, sum(len(b) for b in books)))
    for loan, book in zip(loans, books, strict=True):
        for row in book:
            row[0] = next(bid_ids)
        clearing = clear([BidView(r[0], r[2], r[3], r[4]) for r in book], loan.amount)
        loan.bid_total = sum((r[2] for r in book), ZERO)
        loan.bid_count = len(book)
        loan.clearing_rate = clearing.clearing_rate if clearing.fully_covered else None
    created = Loan.objects.bulk_create(loans, batch_size=2000)
    insert_rows(Bid, ["id", "loan", "lender", "amount", "rate", "status", "accepted_amount",
                      "placed_at", "created_at", "updated_at", "version", "source"],
                ((r[0], loan.pk, r[1], r[2], r[3], BidStatus.OPEN, ZERO, r[4], r[4], r[4], 1,
                  "manual") for loan, book in zip(created, books, strict=True) for r in book))
    for loan, book in zip(created, books, strict=True):
        for bid_id, lender_id, amount, _, _ in book:
            ledger.post("hold", f"bid:{bid_id}:hold:1", f"Bid #{bid_id} on loan #{loan.pk}",
                        [(ledger.user(lender_id, AccountKind.USER_AVAILABLE), amount, ZERO),
                         (ledger.user(lender_id, AccountKind.USER_HELD), ZERO, amount)])
    return [loan.pk for loan in created]


# --- active loans, notes, schedules -------------------------------------------------------------


def _seed_serviced(scale: Scale, rng, now, day0: date, borrower_ids, lender_ids,
                   ledger: LedgerBuilder, lender_needs) -> list[int]:
    purposes = list(Purpose.values)
    disbursed_at = timezone.make_aware(datetime.combine(day0, time(12, 0)))
    schedules = {}
    loans, shares_of = [], []
    for borrower_id in borrower_ids:
        amount = D(rng.choice(SERVICED_AMOUNTS))
        rate = rng.choice(SERVICED_RATES)
        term = rng.choice(SERVICED_TERMS)
        grade = rng.choice(GRADES)
        if (amount, rate, term) not in schedules:
            schedules[amount, rate, term] = amortize(amount, rate, term, day0)
        schedule = schedules[amount, rate, term]
        payment, total, fee, apr = _listing_terms(amount, rate, term, grade)
        lenders = rng.sample(lender_ids, scale.notes_per_loan)
        weights = [(lender, D(rng.randint(1, 4))) for lender in lenders]
        shares = split_largest_remainder(amount, weights)
        for lender, share in shares.items():
            lender_needs[lender] += share
        shares_of.append(shares)
        loans.append(Loan(
            borrower_id=borrower_id, requested_amount=amount, amount=amount, max_rate=rate + 2,
            interest_rate=rate, term_months=term, purpose=rng.choice(purposes),
            status=LoanStatus.ACTIVE, risk_grade=grade, model_grade=grade,
            recommended_rate=rate, floor_rate=rate - 1,
            monthly_payment=payment, total_payment=total, origination_fee=fee, apr=apr,
            funding_deadline=disbursed_at, closed_at=disbursed_at, disbursed_at=disbursed_at,
            bid_total=amount, bid_count=len(shares), clearing_rate=rate,
            outstanding_principal=amount, autopay=True))
    created = Loan.objects.bulk_create(loans, batch_size=2000)
    bid_ids = iter(reserve_ids(Bid, sum(len(s) for s in shares_of)))
    bids, notes, installments = [], [], []
    placed_at = disbursed_at - timedelta(days=2)
    for loan, shares in zip(created, shares_of, strict=True):
        legs = []
        for lender_id, share in sorted(shares.items()):
            bid_id = next(bid_ids)
            bids.append((bid_id, loan.pk, lender_id, share, loan.interest_rate, BidStatus.WON,
                         share, placed_at, placed_at, disbursed_at, 1, "manual"))
            notes.append((loan.pk, lender_id, bid_id, share, loan.interest_rate, share, ZERO, ZERO,
                          ZERO, ZERO, ZERO, NoteStatus.ACTIVE, disbursed_at, disbursed_at))
            ledger.post("hold", f"bid:{bid_id}:hold:1", f"Bid #{bid_id} on loan #{loan.pk}",
                        [(ledger.user(lender_id, AccountKind.USER_AVAILABLE), share, ZERO),
                         (ledger.user(lender_id, AccountKind.USER_HELD), ZERO, share)])
            legs += [(ledger.user(lender_id, AccountKind.USER_HELD), share, ZERO),
                     (ledger.user(lender_id, AccountKind.USER_INVESTED), ZERO, share)]
        fee = loan.origination_fee
        legs += [(ledger.loan(loan.pk), loan.amount, ZERO),
                 (ledger.user(loan.borrower_id, AccountKind.USER_AVAILABLE), ZERO,
                  loan.amount - fee),
                 (ledger.platform(AccountKind.PLATFORM_ORIGINATION_FEES), ZERO, fee)]
        ledger.post("disbursement", f"loan:{loan.pk}:disbursement",
                    f"Disbursement of loan #{loan.pk}", legs)
        schedule = schedules[loan.amount, loan.interest_rate, loan.term_months]
        for row in schedule.rows:
            installments.append((loan.pk, row.period, row.due_date, row.principal, row.interest,
                                 row.payment, ZERO, ZERO, ZERO, ZERO, InstallmentStatus.DUE, None))
    insert_rows(Bid, ["id", "loan", "lender", "amount", "rate", "status", "accepted_amount",
                      "placed_at", "created_at", "updated_at", "version", "source"], bids)
    insert_rows(Note, ["loan", "lender", "bid", "principal", "rate", "outstanding_principal",
                       "principal_received", "interest_received", "late_fees_received",
                       "servicing_fees_paid", "charged_off_principal", "status", "created_at",
                       "updated_at"], notes)
    insert_rows(Installment, ["loan", "number", "due_date", "principal", "interest", "total",
                              "principal_paid", "interest_paid", "late_fee", "late_fee_paid",
                              "status", "paid_at"], installments)
    return [loan.pk for loan in created]


def _replica_mode(on: bool) -> bool:
    """PostgreSQL: while the bench writes its own database in one go, skip per-row trigger work
    (foreign keys, the ledger's deferred balance check); ``check_ledger`` and the constraints
    prove the result instead. Needs a superuser; without one the triggers simply run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL session_replication_role = {'replica' if on else 'origin'}")
    except Exception:  # noqa: BLE001 - not allowed: seed with the triggers on
        return False
    return True


# --- the whole market ---------------------------------------------------------------------------


def seed(scale: Scale, *, log=print, seed_value: int = 20261130) -> SeedInfo:
    """Seed ``scale`` into the current database (which must hold no bench data yet)."""

    if bench_users_exist():
        raise AlreadySeeded("This database already holds bench data: use a fresh database")
    rng = random.Random(seed_value)
    now = timezone.now()
    today = timezone.localdate()
    day0 = add_months(today.replace(day=10), -(scale.runs + 1))
    counts = {}
    for kind in (AccountKind.EXTERNAL_BANK, AccountKind.PLATFORM_ORIGINATION_FEES,
                 AccountKind.PLATFORM_SERVICING_FEES, AccountKind.PLATFORM_BOT_CAPITAL):
        platform_account(kind)
    with transaction.atomic():
        postgres = connection.vendor == "postgresql"
        replica = postgres and _replica_mode(True)
        ledger = LedgerBuilder(now)
        lender_ids = _users("lender", scale.lenders, rng, now, lender=True)
        borrower_ids = _users("borrower", scale.listing_borrowers, rng, now, borrower=True)
        payer_ids = _users("payer", scale.serviced_loans, rng, now, borrower=True)
        log(f"  users: {len(lender_ids) + len(borrower_ids) + len(payer_ids):,}")
        lender_needs: dict[int, Decimal] = defaultdict(lambda: ZERO)
        listing_ids = _seed_listings(scale, rng, now, borrower_ids, lender_ids, ledger,
                                     lender_needs)
        log(f"  listings: {len(listing_ids):,}")
        serviced = _seed_serviced(scale, rng, now, day0, payer_ids, lender_ids, ledger,
                                  lender_needs)
        log(f"  serviced loans: {len(serviced):,}")
        bank = ledger.platform(AccountKind.EXTERNAL_BANK)
        for lender_id in lender_ids:
            amount = lender_needs[lender_id] + D("5000.00")
            ledger.post("deposit", f"bench:deposit:{lender_id}", "Benchmark deposit",
                        [(bank, amount, ZERO),
                         (ledger.user(lender_id, AccountKind.USER_AVAILABLE), ZERO, amount)])
        # Deposits come first in the ledger, as they did in time.
        deposits = ledger.txns[-len(lender_ids):] if lender_ids else []
        ledger.txns = deposits + ledger.txns[:len(ledger.txns) - len(deposits)]
        if replica:  # the ledger's rows with every trigger and check on
            _replica_mode(False)
        txns, legs = ledger.write()
        log(f"  ledger: {txns:,} transactions, {legs:,} legs")
        problems = check_ledger()
        if problems:
            raise RuntimeError("seeded ledger is inconsistent: " + "; ".join(problems))
    seed_bots()
    with connection.cursor() as cursor:
        # Fresh statistics and visibility map, as autovacuum would leave them (VACUUM cannot
        # run inside a transaction, e.g. the test suite's).
        cursor.execute("VACUUM ANALYZE" if postgres and not connection.in_atomic_block
                       else "ANALYZE")
    counts.update(listings=len(listing_ids), open_bids=Bid.objects.filter(
        status=BidStatus.OPEN).count(), serviced_loans=len(serviced), ledger_legs=legs,
        ledger_transactions=txns)
    return SeedInfo(now=now, bot_now=now + BOT_TIME_OFFSET, day0=day0, lender_ids=lender_ids,
                    listing_ids=listing_ids, serviced_loan_ids=serviced, counts=counts)
