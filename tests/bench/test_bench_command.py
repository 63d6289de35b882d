"""The bench at its small scale, as a smoke test (no timing is asserted: only that every
benchmark ran against its floor and reported its figures in API.md's shape)."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from communitylend.bench.http import parse_wrk
from payments.ledger_check import ledger_report

FIGURES = {
    "loans_list": {"ms", "floor_ms", "ratio", "queries"},
    "loan_detail": {"ms", "floor_ms", "ratio", "queries"},
    "marketplace_page": {"ms", "floor_ms", "ratio", "queries"},
    "bot_cycle": {"seconds", "queries", "bids"},
    "servicing_day": {"loans_per_s", "floor_loans_per_s", "ratio"},
    "amortize": {"schedules_per_s", "floor_schedules_per_s", "ratio"},
    "risk_score": {"p50_ms", "p99_ms", "batch_per_s"},
    "market": {"ms", "floor_ms", "ratio", "queries", "match_cycle_seconds"},
}


def test_the_small_bench_runs_every_benchmark_and_prints_one_json_object_last(risk_model):
    out, err = StringIO(), StringIO()
    call_command("bench", "--scale", "small", "--in-place", "--json", "--skip", "http",
                 stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["scale"] == "small"
    for name, keys in FIGURES.items():
        assert keys <= set(figures[name]), name
        assert all(figures[name][key] is not None and figures[name][key] >= 0 for key in keys)
    assert figures["loans_list"]["queries"] <= 6
    assert figures["market"]["queries"] == 2 and figures["market"]["listings"] == 100
    assert figures["bot_cycle"]["bids"] > 0
    assert figures["servicing_day"]["loans"] == 30
    assert figures["amortize"]["sample_mismatches"] == 0
    assert "loans_list: ratio to floor" in out.getvalue()  # the table
    assert ledger_report().ok  # the bot cycle was undone, the servicing floor removed
    kept = json.loads(settings.BENCH_RESULTS_FILE.read_text())  # for the design deck
    assert kept["scale"] == "small" and kept["figures"]["bot_cycle"]["bids"] > 0
    assert any(s["name"].startswith("loans_list") for s in kept["series"])


def test_the_market_benchmark_alone_leaves_no_listing_or_order_behind(risk_model):
    from investments.models import BuyOrder, Listing

    out = StringIO()
    call_command("bench", "--scale", "small", "--in-place", "--json", "--only", "market",
                 stdout=out, stderr=StringIO())
    market = json.loads(out.getvalue().strip().splitlines()[-1])["market"]
    assert market["queries"] == 2 and market["orders"] == 50 and market["trades"] == 0
    assert market["match_cycle_seconds"] >= 0 and market["ratio"] > 0
    assert not Listing.objects.exists() and not BuyOrder.objects.exists()
    assert ledger_report().ok


def test_the_bench_refuses_a_database_that_already_holds_its_data(risk_model):
    call_command("bench", "--scale", "small", "--in-place", "--only", "amortize",
                 stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="already holds bench data"):
        call_command("bench", "--scale", "small", "--in-place", "--only", "amortize",
                     stdout=StringIO(), stderr=StringIO())


def test_the_bench_names_an_unknown_benchmark():
    with pytest.raises(CommandError, match="unknown benchmark speed"):
        call_command("bench", "--only", "speed", stdout=StringIO(), stderr=StringIO())


WRK = """Running 30s test @ http://127.0.0.1:8000
  2 threads and 64 connections
  Latency Distribution
     50%  120.50ms
     75%  200.00ms
     90%  400.00ms
     99%    1.20s
  3000 requests in 30.01s, 10.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    99.97
"""


def test_wrk_reports_become_requests_per_second_latencies_and_errors():
    result = parse_wrk(WRK)
    assert (result.rps, result.p50_ms, result.p99_ms) == (99.97, 120.5, 1200.0)
    assert (result.errors, result.requests) == (9, 3000)
