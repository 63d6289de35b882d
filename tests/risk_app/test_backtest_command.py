"""``manage.py backtest_pricing [--json]``: the out-of-time backtest by grade and term, a one-line
summary, the JSON last; non-zero exit on failure."""

import gzip
import json

import pandas
import pytest
from django.core.management import CommandError, call_command

from risk.ml import DEFAULT_DATA_PATH


@pytest.fixture(scope="module")
def half_the_data(tmp_path_factory):
    """Every other loan of the project's data (the command runs in about half the time)."""
    frame = pandas.read_csv(DEFAULT_DATA_PATH, dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("backtest") / "half.csv.gz"
    with gzip.open(path, "wt") as handle:
        frame.iloc[::2].to_csv(handle, index=False)
    return path


def test_it_prints_the_table_by_grade_and_term_then_the_summary_then_json(half_the_data,
                                                                        capsys):
    call_command("backtest_pricing", "--data", str(half_the_data), "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert lines[-2].startswith("backtest_pricing: ") and "at the floors" in lines[-2]
    assert any(line.startswith("| A | 36 m |") for line in lines)
    assert any(line.startswith("| **book** | all |") for line in lines)
    keys = {(row["grade"], row["term"]) for row in result["rows"]}
    assert {(g, "all") for g in "ABCDE"} <= keys and ("all", "all") in keys
    book = result["book"]
    assert book["irr_floor"] < book["irr_recommended"]
    for row in result["rows"]:
        assert row["floor"]["rate"] <= row["recommended"]["rate"]
        assert row["floor"]["irr"] < row["recommended"]["irr"]
    floors = [next(r for r in result["rows"] if r["grade"] == g and r["term"] == "36")
              ["floor"]["rate"] for g in "ABCDE"]
    assert floors == sorted(floors)
    assert set(result["calibration"]) >= {"36 months", "60 months", "grade A", "grade E"}


def test_a_missing_data_file_is_a_failure(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("backtest_pricing", "--data", str(tmp_path / "nothing.csv.gz"))
