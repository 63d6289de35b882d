"""Operations the apps' migrations share (plain functions: no model imports)."""

from django.db import migrations


def fillfactor(table: str, percent: int):
    """Leave room in each page for updated rows (PostgreSQL only): an UPDATE that finds room
    on the row's page and changes no indexed column writes no index entries (a HOT update).
    Applies to pages written from now on; ``VACUUM FULL`` the table to repack old ones."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" SET (fillfactor = {percent})')

    def revert(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" RESET (fillfactor)')

    return migrations.RunPython(apply, revert, elidable=False)
