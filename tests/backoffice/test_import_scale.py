"""A 50,000-row users.csv imports in one go, streaming (figures printed, never asserted)."""

import resource
import time

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
HEADER = "email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"


def test_a_fifty_thousand_row_users_file_imports(tmp_path, capsys):
    path = tmp_path / "users-50k.csv"
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(50_000):
            f.write(f"bulk{i}@example.com,First{i},Last{i},555-{i:04d},{40_000 + i},employed,"
                    f"{300 + i % 551}\n")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    call_command("import_users", str(path))
    seconds = time.perf_counter() - started
    out = capsys.readouterr().out
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert "50000 created, 0 updated, 0 skipped, 0 errors" in out
    assert User.objects.filter(email__startswith="bulk").count() == 50_000
    assert User.objects.get(email="bulk49999@example.com").credit_score == 300 + 49_999 % 551
    with capsys.disabled():
        print(f"\nimport_users 50,000 rows: {seconds:.1f} s, process peak RSS {peak_mb:.0f} MB "
              f"(before: {rss_before / 1024:.0f} MB)")
