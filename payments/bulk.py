"""Set-based updates of many rows (daily servicing, the ledger's batch postings).

``update_rows`` writes each object's values of ``fields`` in as few statements as the database
allows: on PostgreSQL ``UPDATE ... FROM (VALUES ...)`` (one join instead of Django's
``bulk_update`` CASE expressions, which grow with the square of the batch), elsewhere
``bulk_update``. Callers hold the rows' locks; nothing here re-reads or re-checks.
"""

from django.db import connection


def update_rows(model, objs, fields: list[str], *, batch_size: int = 2000) -> int:
    objs = list(objs)
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields, batch_size=500)
        return len(objs)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    casts = [f"%s::{pk.db_type(connection)}"] + [f"%s::{c.db_type(connection)}" for c in columns]
    row_sql = "(" + ", ".join(casts) + ")"
    names = ", ".join([f'"{pk.column}"'] + [f'"{c.column}"' for c in columns])
    sets = ", ".join(f'"{c.column}" = v."{c.column}"' for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start:start + batch_size]
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params += [c.get_db_prep_save(getattr(obj, c.attname), connection)
                           for c in columns]
            cursor.execute(
                f'UPDATE "{meta.db_table}" AS t SET {sets} FROM (VALUES '  # noqa: S608
                f'{", ".join([row_sql] * len(chunk))}) AS v({names}) '
                f'WHERE t."{pk.column}" = v."{pk.column}"', params)
    return len(objs)
