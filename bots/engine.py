"""The strategy engine: given a snapshot of the market, what one investor (a bot or an auto-invest
rule) does with each open listing. Pure Python over data loaded once per cycle (no queries), so
a cycle's work grows with the number of listings, not with listings x investors x queries.

For each listing, in order of funding deadline:

- the investor already has an open bid there: if the bid is outside the current clearing
  (outbid), lower its rate by ``rebid_step`` down to its own floor (grade floor +
  ``rebid_floor_margin``, and never below ``min_rate``), once per cycle; at that floor it stops;
- otherwise eligibility (own loan, verified borrower, credit score, debt-to-income, grade,
  purpose, term, something left to cover), pricing (recommended rate + spread + jitter, within
  the rates ``loans.rules.bid_rates`` allows and above ``min_rate``) and sizing (share of capital
  between floor and cap, then no more than the uncovered amount, the cash, the capital-use
  ceiling and the per-grade and per-borrower room); last, the order must pass
  ``loans.rules.bid_problem``, the check ``bid_place`` and the batch make.

Each outcome is a ``Decision``. Skips are logged when the listing is new or changed since the
investor's last cycle, so a quiet market does not write thousands of identical rows every 30 s.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from communitylend.core.money import CENT, ZERO, cents_down, cents_up
from loans.auction import bid_views, clear
from loans.models import MIN_BID, Loan
from loans.pricing import expected_at
from loans.rules import bid_problem, bid_rates

from .models import DecisionAction

# What the strategies read of a listing's borrower (the cycle loads only these).
BORROWER_FIELDS = ("id", "credit_score", "verification_status", "monthly_debt", "annual_income")

HUNDRED = Decimal("100")
CYCLE_SECONDS = 30


def cycle_bucket(now: datetime) -> int:
    return int(now.timestamp()) // CYCLE_SECONDS


def rng_for(kind: str, investor_id: int, now: datetime) -> random.Random:
    """The jitter's generator: seeded by the investor and the cycle's 30-second bucket, so a
    cycle's prices can be reproduced (and differ from one cycle to the next)."""
    return random.Random(f"{kind}:{investor_id}:{cycle_bucket(now)}")


@dataclass
class Exposure:
    """What a lender has at stake: held in bids + invested, in total, by grade, by borrower."""

    deployed: Decimal = ZERO
    by_grade: dict[str, Decimal] = field(default_factory=dict)
    by_borrower: dict[int, Decimal] = field(default_factory=dict)

    def add(self, grade: str, borrower_id: int, amount: Decimal) -> None:
        self.by_grade[grade] = self.by_grade.get(grade, ZERO) + amount
        self.by_borrower[borrower_id] = self.by_borrower.get(borrower_id, ZERO) + amount


@dataclass
class Wallet:
    available: Decimal = ZERO
    held: Decimal = ZERO
    invested: Decimal = ZERO


@dataclass
class OpenBid:
    id: int
    loan_id: int
    lender_id: int
    amount: Decimal
    rate: Decimal
    placed_at: datetime
    source: str


@dataclass
class Investor:
    """A bot or a rule, with what the engine needs to know about it for this cycle."""

    kind: str  # "bot" or "rule"
    obj: object  # BotLender or AutoInvestRule (reads its strategy fields)
    user_id: int
    capital: Decimal
    reserve: Decimal = ZERO
    last_run_at: datetime | None = None

    @property
    def id(self) -> int:
        return self.obj.pk

    @property
    def label(self) -> str:
        if self.kind == "bot":
            return self.obj.name
        return f"Auto-invest rule #{self.obj.pk}" + (f" ({self.obj.name})" if self.obj.name else "")


@dataclass
class Decision:
    investor: Investor
    action: str
    reason: str
    loan: Loan | None = None
    amount: Decimal | None = None
    rate: Decimal | None = None
    bid_id: int | None = None  # the bid re-bid, or (after writing) the bid placed
    log: bool = True


@dataclass
class Market:
    """The cycle's snapshot, shared by every investor and updated as they decide."""

    now: datetime
    listings: list[Loan]
    books: dict[int, list[OpenBid]]  # loan id -> open bids
    uncovered: dict[int, Decimal]  # loan id -> amount still to cover (after this cycle's orders)
    wallets: dict[int, Wallet]  # user id -> wallet
    exposures: dict[int, Exposure]  # user id -> exposure
    pricing: object = None  # the active model's pricing (risk.ml.Pricing), for expected returns


def own_floor(strategy, loan: Loan) -> Decimal:
    """The lowest rate the investor will re-bid to on ``loan``."""
    floor = cents_up(loan.floor_rate + strategy.rebid_floor_margin)
    if strategy.min_rate is not None:
        floor = max(floor, strategy.min_rate)
    return floor


def price(strategy, loan: Loan, rng: random.Random) -> tuple[Decimal | None, str]:
    """(rate, "") or (None, why not): recommended + spread + jitter in [floor, maximum]."""
    low, high = bid_rates(loan)
    if strategy.min_rate is not None and strategy.min_rate > low:
        low = strategy.min_rate
        if low > high:
            return None, (f"borrower's maximum {loan.max_rate:.2f}% is below our minimum rate "
                          f"{strategy.min_rate:.2f}%")
    if low > high:
        return None, (f"borrower's maximum {loan.max_rate:.2f}% is below the grade floor "
                      f"{loan.floor_rate:.2f}%")
    jitter_bound = float(strategy.rate_jitter)
    jitter = Decimal(repr(rng.uniform(-jitter_bound, jitter_bound))).quantize(
        CENT, rounding=ROUND_HALF_EVEN) if jitter_bound else ZERO
    rate = (loan.recommended_rate + strategy.rate_spread + jitter).quantize(
        CENT, rounding=ROUND_HALF_EVEN)
    return min(max(rate, low), high), ""


def return_shortfall(strategy, loan: Loan, rate: Decimal, pricing) -> str:
    """Why ``rate`` on ``loan`` earns too little for the strategy's minimum expected net return,
    or "" if it earns enough (or the strategy asks no minimum)."""
    minimum = strategy.min_expected_return
    if minimum is None:
        return ""
    net_return = expected_at(loan, rate, pricing)[1]
    if net_return is None:
        return "no expected return for this loan (no model estimate)"
    if net_return < minimum:
        return (f"expected net return {net_return:.2f}% at {rate:.2f}% below our minimum "
                f"{minimum:.2f}%")
    return ""


def eligibility(strategy, loan: Loan, user_id: int) -> str:
    """Why the investor does not lend on ``loan``, or "" if it does."""
    borrower = loan.borrower
    # loans.rules.bid_problem refuses it as well; asked first here, the log keeps its short
    # reason and the listing is not priced and sized for nothing.
    if loan.borrower_id == user_id:
        return "own listing"
    if strategy.verified_only and not borrower.is_verified:
        return "borrower not verified"
    score = borrower.credit_score
    if score is None:
        return "borrower's credit score unknown"
    if score < strategy.min_credit_score:
        return f"credit score {score} below minimum {strategy.min_credit_score}"
    if strategy.max_debt_to_income is not None:
        dti = borrower.debt_to_income
        if dti is None:
            return "borrower's debt-to-income unknown"
        if dti > strategy.max_debt_to_income:
            return f"debt-to-income {dti:.2f}% above maximum {strategy.max_debt_to_income:.2f}%"
    if strategy.grades and loan.risk_grade not in strategy.grades:
        return f"grade {loan.risk_grade} not in {', '.join(strategy.grades)}"
    if strategy.purposes and loan.purpose not in strategy.purposes:
        return f"purpose {loan.purpose} not in our purposes"
    if strategy.terms and loan.term_months not in strategy.terms:
        return f"term {loan.term_months} months not in {', '.join(map(str, strategy.terms))}"
    return ""


def target_amount(strategy, capital: Decimal) -> Decimal:
    share = cents_down(capital * strategy.loan_share / HUNDRED)
    return min(max(share, strategy.min_per_loan), strategy.max_per_loan)


def size(investor: Investor, loan: Loan, market: Market) -> tuple[Decimal | None, str]:
    """(amount, "") or (None, which limit leaves too little)."""
    strategy, capital = investor.obj, investor.capital
    wallet = market.wallets[investor.user_id]
    exposure = market.exposures[investor.user_id]
    grade_percent = Decimal(strategy.grade_limits.get(loan.risk_grade, HUNDRED))
    uncovered = market.uncovered[loan.pk]
    limits = [
        ("per-loan amount", target_amount(strategy, capital)),
        ("uncovered amount", uncovered),
        ("available cash" if not investor.reserve else "available cash above the reserve",
         wallet.available - investor.reserve),
        ("capital-use ceiling", capital * strategy.max_capital_use / HUNDRED - exposure.deployed),
        (f"grade {loan.risk_grade} concentration limit",
         capital * grade_percent / HUNDRED - exposure.by_grade.get(loan.risk_grade, ZERO)),
        ("borrower concentration limit",
         capital * strategy.borrower_limit / HUNDRED
         - exposure.by_borrower.get(loan.borrower_id, ZERO)),
    ]
    binding, amount = min(limits, key=lambda item: item[1])
    amount = max(amount, ZERO).quantize(CENT, rounding=ROUND_DOWN)
    # A smaller bid than the strategy's floor is still worth it when it completes a listing.
    smallest = max(MIN_BID, min(strategy.min_per_loan, uncovered))
    if amount < smallest:
        return None, f"{binding} leaves {amount:,.2f} (< {smallest:,.2f})"
    return amount, ""


def rebid(investor: Investor, loan: Loan, bid: OpenBid, market: Market) -> Decision | None:
    """A re-bid if ``bid`` is outside the clearing and above the investor's own floor; a skip at
    the floor; None when it is in the clearing (nothing to do, nothing to log)."""
    book = market.books.get(loan.pk, [])
    clearing = clear(bid_views(book), loan.amount)
    if not clearing.fully_covered or clearing.accepted_amount(bid.id) >= bid.amount:
        return None
    floor = own_floor(investor.obj, loan)
    new_rate = max(bid.rate - investor.obj.rebid_step, floor)
    shortfall = return_shortfall(investor.obj, loan, new_rate, market.pricing) \
        if new_rate < bid.rate else ""
    if shortfall:
        return Decision(investor, DecisionAction.SKIP, loan=loan, amount=bid.amount,
                        rate=bid.rate, bid_id=bid.id,
                        reason=f"outbid; not re-bidding lower: {shortfall}",
                        log=_changed(investor, loan))
    if new_rate >= bid.rate:
        return Decision(investor, DecisionAction.SKIP, loan=loan, amount=bid.amount,
                        rate=bid.rate, bid_id=bid.id,
                        reason=f"outbid at our floor {floor:.2f}%: not re-bidding lower",
                        log=_changed(investor, loan))
    return Decision(investor, DecisionAction.REBID, loan=loan, amount=bid.amount, rate=new_rate,
                    bid_id=bid.id, reason=f"outbid (clearing {clearing.clearing_rate:.2f}%): "
                                          f"rate {bid.rate:.2f}% -> {new_rate:.2f}%")


def _changed(investor: Investor, loan: Loan) -> bool:
    return investor.last_run_at is None or loan.updated_at > investor.last_run_at


def decide(investor: Investor, market: Market, *, my_bids: dict[int, OpenBid],
           may_rebid, rng: random.Random) -> list[Decision]:
    """Every decision of ``investor`` on the market, updating the market's trackers (uncovered
    amounts, wallet, exposure) for the bids it decides to place.

    ``my_bids``: the investor's user's open bids by loan id; ``may_rebid(bid)``: whether this
    investor manages that bid (a bot all its bids, a rule the ones it placed)."""
    strategy = investor.obj
    wallet = market.wallets[investor.user_id]
    exposure = market.exposures[investor.user_id]
    decisions: list[Decision] = []
    for loan in market.listings:
        bid = my_bids.get(loan.pk)
        if bid is not None:
            if bid.id and may_rebid(bid):  # id 0: placed by this cycle, not written yet
                decision = rebid(investor, loan, bid, market)
                if decision is not None:
                    decisions.append(decision)
            continue
        reason = eligibility(strategy, loan, investor.user_id)
        if not reason and market.uncovered[loan.pk] < MIN_BID:
            reason = "fully covered"
        rate = amount = None
        if not reason:
            rate, reason = price(strategy, loan, rng)
        if not reason:
            reason = return_shortfall(strategy, loan, rate, market.pricing)
        if not reason:
            amount, reason = size(investor, loan, market)
        if not reason:
            refusal = bid_problem(loan, lender_id=investor.user_id, amount=amount, rate=rate,
                                  now=market.now)
            reason = f"bid refused: {refusal.message}" if refusal else ""
        if reason:
            decisions.append(Decision(investor, DecisionAction.SKIP, reason=reason, loan=loan,
                                      rate=rate, log=_changed(investor, loan)))
            continue
        decisions.append(Decision(investor, DecisionAction.BID, loan=loan, amount=amount,
                                  rate=rate, reason=f"fits: grade {loan.risk_grade}, score "
                                                    f"{loan.borrower.credit_score}, {rate:.2f}%"))
        market.uncovered[loan.pk] -= amount
        wallet.available -= amount
        wallet.held += amount
        exposure.deployed += amount
        exposure.add(loan.risk_grade, loan.borrower_id, amount)
        my_bids[loan.pk] = OpenBid(0, loan.pk, investor.user_id, amount, rate, loan.updated_at,
                                   "pending")
    return decisions
