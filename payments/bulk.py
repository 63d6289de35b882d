"""Set-based writes of many rows (daily servicing, the ledger's batch postings, the bot cycle's
decision log, the benchmark's seeding).

``insert_rows`` writes plain tuples (every NOT NULL column given: Django's Python-side defaults
do not apply) with COPY on PostgreSQL and executemany elsewhere, for append-only rows nothing
reads back in the same transaction as model instances; ``reserve_ids`` hands out primary keys
first when later rows refer to them.

``update_rows`` writes each object's values of ``fields`` in as few statements as the database
allows: on PostgreSQL ``UPDATE ... FROM (VALUES ...)`` (one join instead of Django's
``bulk_update`` CASE expressions, which grow with the square of the batch), elsewhere
``bulk_update``. Callers hold the rows' locks; nothing here re-reads or re-checks.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from django.db import connection, transaction

SMALL_UPDATE = 500


def update_rows(model, objs, fields: list[str]) -> int:
    """Write each object's current values of ``fields`` (plain values: numbers, Decimals,
    strings, datetimes). PostgreSQL: up to ``SMALL_UPDATE`` rows one UPDATE ... FROM (VALUES),
    more through COPY into a temporary table and one UPDATE ... FROM it; elsewhere
    ``bulk_update``."""
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
    names = [f'"{pk}"'] + [f'"{c.column}"' for c in columns]
    sets = ", ".join(f'"{c.column}" = u."{c.column}"' for c in columns)
    if len(objs) <= SMALL_UPDATE:
        # One statement: UPDATE ... FROM (VALUES ...), typed by casts on each value.
        casts = [f"%s::{meta.pk.db_type(connection)}"] + [
            f"%s::{c.db_type(connection)}" for c in columns]
        row_sql = "(" + ", ".join(casts) + ")"
        params = []
        for obj in objs:
            params.append(obj.pk)
            params += [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE "{meta.db_table}" AS t SET {sets} FROM (VALUES '  # noqa: S608
                           f'{", ".join([row_sql] * len(objs))}) AS u({", ".join(names)}) '
                           f'WHERE t."{pk}" = u."{pk}"', params)
        return len(objs)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('DROP TABLE IF EXISTS "_bulk_update"')
        cursor.execute(f'CREATE TEMP TABLE "_bulk_update" AS SELECT {", ".join(names)} '
                       f'FROM "{meta.db_table}" WITH NO DATA')
        with cursor.cursor.copy(f'COPY "_bulk_update" ({", ".join(names)}) FROM STDIN') as copy:
            for obj in objs:
                copy.write_row([obj.pk, *(_plain(getattr(obj, c.attname)) for c in columns)])
        cursor.execute(f'UPDATE "{meta.db_table}" AS t SET {sets} FROM "_bulk_update" AS u '
                       f'WHERE t."{pk}" = u."{pk}"')
        cursor.execute('DROP TABLE "_bulk_update"')
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
            with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([_plain(v) for v in row])
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
