"""How big each benchmark scale is."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    listings: int  # open listings (the marketplace and /api/loans)
    bids_per_listing: int  # average open bids per listing (500,000 over 100,000 at full scale)
    lenders: int  # people lending (bids, notes)
    listing_borrowers: int
    bot_listings: int  # listings still open when the bot cycle runs
    serviced_loans: int  # active loans with an installment due on each servicing day
    notes_per_loan: int
    amortize_schedules: int
    risk_batch: int
    risk_singles: int  # single assessments timed for p50/p99
    runs: int  # runs of each benchmark (the table shows median, min and max)
    requests: int  # requests per run for the request benchmarks
    http_seconds: int
    http_clients: int
    market_listings: int = 100  # listed notes on the secondary market (of the serviced notes)
    market_orders: int = 50  # standing buy orders


SCALES = {
    "small": Scale("small", listings=300, bids_per_listing=5, lenders=40, listing_borrowers=60,
                   bot_listings=60, serviced_loans=30, notes_per_loan=5, amortize_schedules=300,
                   risk_batch=200, risk_singles=20, runs=2, requests=3, http_seconds=5,
                   http_clients=8),
    "full": Scale("full", listings=100_000, bids_per_listing=5, lenders=5_000,
                  listing_borrowers=20_000, bot_listings=10_000, serviced_loans=20_000,
                  notes_per_loan=5, amortize_schedules=100_000, risk_batch=10_000,
                  risk_singles=500, runs=3, requests=20, http_seconds=30, http_clients=64,
                  market_listings=50_000, market_orders=5_000),
}
