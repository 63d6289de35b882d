"""Set-based writes of many rows (daily servicing, the ledger's batch postings, the bot cycle's
decision log, the benchmark's seeding).

``insert_rows`` writes plain tuples (every NOT NULL column given: Django's Python-side defaults
do not apply) with COPY on PostgreSQL and executemany elsewhere, for append-only rows nothing
reads back in the same transaction as model instances; ``reserve_ids`` hands out primary keys
first when later rows refer to them.

``update_rows`` writes each object's values of ``fields`` in as few statements as the database
allows: on PostgreSQL one ``UPDATE ... FROM unnest(arrays)`` (one join instead of Django's
``bulk_update`` CASE expressions, which grow with the square of the batch), elsewhere
``bulk_update``. Callers hold the rows' locks; nothing here re-reads or re-checks.
"""

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from django.db import connection
from django.db.models import CharField, Lookup, TextField


class AnyOf(Lookup):
    """``AnyOf(F("loan_id"), ids)``: the column is one of ``ids`` (numbers or strings), with
    one query parameter however many there are: ``= ANY(%s)`` on PostgreSQL, ``IN (SELECT
    value FROM json_each(%s))`` on SQLite. Django's ``__in`` takes one placeholder per value,
    which costs more to build and parse than the query itself once there are thousands."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [_plain(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            column = getattr(self.lhs.output_field, "target_field", self.lhs.output_field)
            kind = "text" if isinstance(column, CharField | TextField) else "bigint"
            return f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, array_literal(values)]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(values)]


_UNSAFE_IN_ARRAY = re.compile(r'[\\"\x00-\x1f]')


def _array_item(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime | date):
        return f'"{value.isoformat()}"'
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def array_literal(values) -> str:
    """A PostgreSQL array literal of plain values, for one ``%s::type[]`` parameter: psycopg
    dumps a list item by item in Python, which for 25,000 numbers costs more than the query.
    Numbers go through as ``str`` gives them; strings and dates are quoted and escaped."""
    kinds = set(map(type, values))
    if kinds <= {int, Decimal}:  # the common case, at C speed
        return "{" + ",".join(map(str, values)) + "}"
    if len(kinds) == 1 and issubclass(next(iter(kinds)), str):
        text = '","'.join(values)
        if not _UNSAFE_IN_ARRAY.search(text):  # nothing to escape: quoted as they are
            return '{"' + text + '"}'
    # A column of one timestamp (updated_at = now) formats it once.
    formatted: dict = {}
    return "{" + ",".join([formatted[v] if v in formatted else formatted.setdefault(
        v, _array_item(v)) for v in values]) + "}"


def update_rows(model, objs, fields: list[str]) -> int:
    """Write each object's current values of ``fields`` (plain values: numbers, Decimals,
    strings, datetimes). PostgreSQL: one ``UPDATE ... FROM unnest(...)`` with one array
    parameter per column, whatever the number of rows; elsewhere ``bulk_update``."""
    objs = list(objs)
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        if not isinstance(objs[0], model):  # plain rows: model instances with just these fields
            objs = [model(pk=o.pk, **{f: getattr(o, f) for f in fields}) for o in objs]
        model.objects.bulk_update(objs, fields, batch_size=500)
        return len(objs)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk.column
    names = ", ".join([f'"{pk}"'] + [f'"{c.column}"' for c in columns])
    arrays = ", ".join([f"%s::{meta.pk.db_type(connection)}[]"]
                       + [f"%s::{c.db_type(connection)}[]" for c in columns])
    sets = ", ".join(f'"{c.column}" = u."{c.column}"' for c in columns)
    params = [array_literal([obj.pk for obj in objs])] + [
        array_literal([_plain(getattr(obj, c.attname)) for obj in objs]) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{meta.db_table}" AS t SET {sets} FROM unnest({arrays}) '  # noqa: S608
                       f'AS u({names}) WHERE t."{pk}" = u."{pk}"', params)
    return len(objs)


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _columns(model, fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def reserve_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``'s table."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 - a model's table
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _sqlite_value(value):
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *,
                chunk: int = 50_000) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    table = model._meta.db_table
    columns = _columns(model, fields)
    quoted = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg dumps Django's TextChoices and IntegerChoices as their str or int values.
            with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})'  # noqa: S608
        batch = []
        for row in rows:
            batch.append([_sqlite_value(v) for v in row])
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
