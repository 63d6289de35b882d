"""The set-based helpers: one-parameter id filters, array literals, batch cutting."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import F

from communitylend.core.bulk import AnyOf, array_literal, update_rows
from payments.ledger import account_for_user
from payments.models import Account, AccountKind
from payments.servicing.batch import _borrower_batches
from tests.factories import make_user


def test_array_literals_quote_and_escape_what_postgresql_would_misread():
    assert array_literal([3, 1, 2]) == "{3,1,2}"
    assert array_literal([]) == "{}"
    assert array_literal([Decimal("1.50"), None, True]) == "{1.50,NULL,t}"
    assert array_literal(['a "b"', "c\\d", "NULL", ""]) == '{"a \\"b\\"","c\\\\d","NULL",""}'
    assert array_literal([date(2026, 2, 15), datetime(2026, 2, 15, 9, tzinfo=UTC)]) == (
        '{"2026-02-15","2026-02-15T09:00:00+00:00"}')


@pytest.mark.django_db
def test_any_of_filters_numbers_and_awkward_strings_with_one_parameter():
    users = [make_user() for _ in range(3)]
    codes = ['odd "code" \\ one', "plain", "NULL"]
    accounts = [Account.objects.create(code=code, kind=AccountKind.LOAN_PRINCIPAL,
                                       reference=f"r{i}") for i, code in enumerate(codes)]
    assert set(Account.objects.filter(AnyOf(F("code"), codes)).values_list("pk", flat=True)) \
        == {a.pk for a in accounts}
    assert not Account.objects.filter(AnyOf(F("pk"), [])).exists()
    wallets = [account_for_user(u.pk, AccountKind.USER_AVAILABLE) for u in users]
    found = Account.objects.filter(AnyOf(F("user_id"), [u.pk for u in users[:2]]))
    assert set(found.values_list("pk", flat=True)) == {w.pk for w in wallets[:2]}
    _, params = Account.objects.filter(AnyOf(F("pk"), list(range(5000)))).query.sql_with_params()
    assert len(params) == 1


@pytest.mark.django_db
def test_update_rows_writes_plain_rows_of_many_columns():
    from payments.ledger import AccountRef

    accounts = [Account.objects.create(code=f"u{i}", kind=AccountKind.LOAN_PRINCIPAL,
                                       reference=f"u{i}") for i in range(700)]
    update_rows(Account, [AccountRef(a.pk, Decimal(i) / 100) for i, a in enumerate(accounts)],
                ["balance"])
    assert [a.balance for a in Account.objects.filter(code__startswith="u").order_by("pk")] == [
        Decimal(i) / 100 for i in range(700)]


def test_servicing_batches_keep_each_borrower_whole_and_in_primary_key_order():
    rows = [(5, 1), (9, 1), (2, 2), (7, 3), (3, 3), (8, 3), (1, 4), (6, 5)]
    rows.sort(key=lambda r: (r[1], r[0]))
    batches = _borrower_batches(rows, 2)
    assert batches == [[5, 9], [2, 3, 7, 8], [1, 6]]
    assert sorted(i for b in batches for i in b) == sorted(i for i, _ in rows)
    assert _borrower_batches([], 5) == []


@pytest.mark.django_db
def test_any_of_an_empty_list_matches_nothing_on_any_column():
    assert not Account.objects.filter(AnyOf(F("code"), [])).exists()
    assert not Account.objects.filter(AnyOf(F("user_id"), [])).exists()
