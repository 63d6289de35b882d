"""The seeding's raw inserts live with the other set-based writes in ``payments.bulk``."""

from payments.bulk import insert_rows, reserve_ids

__all__ = ["insert_rows", "reserve_ids"]
