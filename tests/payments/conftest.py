import pytest
from django.db import connection

# Mark PostgreSQL-only tests with ``pytestmark = postgres_only`` (or ``@needs_postgres``): they run
# in CI (.ci/run) and locally with DATABASE_URL=postgres://...; SQLite skips them.
needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
postgres_only = [pytest.mark.postgres, needs_postgres]
