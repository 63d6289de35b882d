"""Reconciliation (DESIGN.md, "Servicing": settlement): the payment gateway's daily settlement
file against the ledger's bank account for that day. Ledger side only: no loan code.

The file is CSV with a header ``id,type,amount,status,date``; ``id`` is the reference the
platform gave the gateway for the movement, which is the idempotency key of the ledger
transaction that booked it. The ledger side is every transaction of the gateway's kinds
(deposits, withdrawals, bank debits and their returns) booked that day with a leg on the
external bank account; its amount is what moved through that account. Recoveries are wired in
by the collection agency, not the gateway, and are not in its file. Breaks: a line with no
ledger entry, a ledger entry with no line, a different amount, a repeated line."""

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from communitylend.core.errors import ApplicationError

from .models import (
    AccountKind,
    GatewayPayment,
    LedgerLeg,
    ReconciliationBreak,
    ReconciliationRun,
)

GATEWAY_KINDS = ("deposit", "withdrawal", "repayment", "bank_debit_return")
FILE_HEADER = ["id", "type", "amount", "status", "date"]


@dataclass
class FileLine:
    reference: str
    type: str
    amount: Decimal
    status: str
    day: str


@dataclass
class ReconcileResult:
    run: ReconciliationRun
    breaks: list[ReconciliationBreak] = field(default_factory=list)


def _day_bounds(day: date):
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    return start, start + timezone.timedelta(days=1)


def settlement_lines(day: date) -> list[list[str]]:
    """What the sandbox gateway settled on ``day``, as its file's rows (the sandbox keeps the
    gateway's records in ``GatewayPayment``)."""
    start, end = _day_bounds(day)
    rows = []
    for payment in (GatewayPayment.objects.filter(settled_at__gte=start, settled_at__lt=end,
                                                  settlement__isnull=False)
                    .select_related("settlement").order_by("settled_at", "pk")):
        rows.append([payment.settlement.idempotency_key, payment.direction,
                     f"{payment.amount:.2f}", "settled", day.isoformat()])
    for payment in (GatewayPayment.objects.filter(returned_at__gte=start, returned_at__lt=end,
                                                  return_transaction__isnull=False)
                    .select_related("return_transaction").order_by("returned_at", "pk")):
        rows.append([payment.return_transaction.idempotency_key, "return",
                     f"{payment.amount:.2f}", "returned", day.isoformat()])
    return rows


def sandbox_settlement_path(day: date) -> Path:
    """Where the day's settlement file is kept: the sandbox writes it there, and a real gateway's
    file of that name is read instead."""
    return Path(settings.SETTLEMENT_FILES_DIR) / f"sandbox-{day.isoformat()}.csv"


def settlement_file_write(day: date, path: Path) -> Path:
    """The sandbox gateway's settlement file for ``day`` (a real gateway sends its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(FILE_HEADER)
        writer.writerows(settlement_lines(day))
    return path


def read_settlement_file(path: Path) -> list[FileLine]:
    """The file's lines; ApplicationError (nothing recorded) when it cannot be read."""
    try:
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or [f.strip().lower() for f in reader.fieldnames] \
                    != FILE_HEADER:
                raise ApplicationError(f"{path}: the header must be {','.join(FILE_HEADER)}",
                                       field="file")
            lines = []
            for number, row in enumerate(reader, start=2):
                try:
                    amount = Decimal(row["amount"].strip())
                except (InvalidOperation, AttributeError):
                    raise ApplicationError(f"{path}:{number}: amount {row['amount']!r} is not a "
                                           "number", field="file") from None
                lines.append(FileLine(row["id"].strip(), row["type"].strip(), amount,
                                      row["status"].strip(), row["date"].strip()))
            return lines
    except (OSError, UnicodeDecodeError) as exc:
        raise ApplicationError(f"Cannot read {path}: {exc}", field="file") from exc


def ledger_bank_entries(day: date) -> dict[str, Decimal]:
    """{transaction key: amount through the bank account} of the gateway's kinds on ``day``."""
    start, end = _day_bounds(day)
    rows = (LedgerLeg.objects.filter(account__kind=AccountKind.EXTERNAL_BANK,
                                     transaction__kind__in=GATEWAY_KINDS,
                                     transaction__created_at__gte=start,
                                     transaction__created_at__lt=end)
            .values("transaction__idempotency_key")
            .annotate(debit=Sum("debit"), credit=Sum("credit")))
    return {row["transaction__idempotency_key"]:
            abs(Decimal(row["credit"] or 0) - Decimal(row["debit"] or 0)).quantize(Decimal("0.01"))
            for row in rows}


def reconcile(*, day: date, path: Path) -> ReconcileResult:
    """Match the file against the ledger and record the run with its breaks."""
    lines = read_settlement_file(path)
    ledger = ledger_bank_entries(day)
    counts = Counter(line.reference for line in lines)
    breaks = []
    seen = set()
    for line in lines:
        if line.reference in seen:
            continue
        seen.add(line.reference)
        if counts[line.reference] > 1:
            breaks.append(ReconciliationBreak(
                kind=ReconciliationBreak.Kind.DUPLICATE, reference=line.reference,
                file_amount=line.amount, detail=f"{counts[line.reference]} lines"))
        if line.reference not in ledger:
            breaks.append(ReconciliationBreak(kind=ReconciliationBreak.Kind.MISSING_IN_LEDGER,
                                              reference=line.reference, file_amount=line.amount,
                                              detail=line.type))
        elif ledger[line.reference] != line.amount:
            breaks.append(ReconciliationBreak(kind=ReconciliationBreak.Kind.AMOUNT_MISMATCH,
                                              reference=line.reference, file_amount=line.amount,
                                              ledger_amount=ledger[line.reference],
                                              detail=line.type))
    breaks += [ReconciliationBreak(kind=ReconciliationBreak.Kind.MISSING_IN_FILE,
                                   reference=key, ledger_amount=amount)
               for key, amount in sorted(ledger.items()) if key not in counts]
    matched = sum(1 for key in counts if key in ledger and ledger[key] == next(
        line.amount for line in lines if line.reference == key))
    with transaction.atomic(durable=True):
        run = ReconciliationRun.objects.create(day=day, file_path=str(path)[:500],
                                               file_lines=len(lines),
                                               ledger_entries=len(ledger), matched=matched,
                                               break_count=len(breaks))
        for item in breaks:
            item.run = run
        ReconciliationBreak.objects.bulk_create(breaks)
    return ReconcileResult(run=run, breaks=breaks)
