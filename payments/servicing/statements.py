"""Yearly statements (DESIGN.md, "Servicing": statements). A lender's statement lists, per note
and in total, what the year's distributions paid (principal, interest, late fees), the
servicing fees paid on them and on recoveries, the principal charged off, the recoveries (net
of the collection fee), the gains and losses on notes sold and the interest hardship plans
added to the notes' principal (earned, not cash: apart from the net received); the totals are the sums of the
year's distribution, recovery and trade rows to the cent. A borrower's lists the interest and
fees paid. CSV and PDF (ReportLab) renderings of the same figures."""

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from communitylend.core.errors import ApplicationError
from communitylend.core.importexport import spreadsheet_safe
from communitylend.core.money import ZERO, cents
from investments.models import Note, Trade
from loans.models import Loan
from payments.models import (
    Capitalization,
    Distribution,
    LedgerTransaction,
    RecoveryShare,
    Repayment,
)

FIRST_YEAR = 2000
RETURNED_PAYMENT_FEE = Decimal("15.00")


def statement_year(value) -> int:
    """A year from 2000 through this year, or ApplicationError naming ``year``."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ApplicationError("year must be a year like 2026", field="year") from None
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ApplicationError(f"year must be between {FIRST_YEAR} and {this_year}",
                               field="year")
    return year


def trade_gains(user_id: int, year: int) -> dict[int, Decimal]:
    """{note id: gain or loss} of the notes the user sold in ``year``: the price less the fee,
    less the outstanding principal and the accrued interest sold (DESIGN.md, "Secondary
    market"), as each trade recorded it."""
    gains: dict[int, Decimal] = {}
    for note_id, gain in Trade.objects.filter(seller_id=user_id, traded_at__year=year
                                              ).values_list("note_id", "seller_gain"):
        gains[note_id] = gains.get(note_id, ZERO) + gain
    return gains


@dataclass
class NoteLine:
    note_id: int
    loan_id: int
    principal_received: Decimal = ZERO
    interest: Decimal = ZERO
    late_fees: Decimal = ZERO
    servicing_fees: Decimal = ZERO
    charged_off_principal: Decimal = ZERO
    recoveries: Decimal = ZERO
    trade_gains: Decimal = ZERO
    # Interest a hardship plan added to the note's principal that year: earned, not received in
    # cash (it comes back later as principal), so not in the net received.
    interest_capitalized: Decimal = ZERO


MONEY_FIELDS = ("principal_received", "interest", "late_fees", "servicing_fees",
                "charged_off_principal", "recoveries", "trade_gains", "interest_capitalized")


@dataclass
class Statement:
    year: int
    email: str
    notes: list[NoteLine] = field(default_factory=list)
    borrower_interest: Decimal = ZERO
    borrower_late_fees: Decimal = ZERO
    borrower_returned_payment_fees: Decimal = ZERO
    borrower_origination_fees: Decimal = ZERO
    borrower_interest_capitalized: Decimal = ZERO

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.notes), ZERO)

    @property
    def net_received(self) -> Decimal:
        """What the year's distributions and recoveries put in the lender's cash."""
        return (self.total("principal_received") + self.total("interest")
                + self.total("late_fees") + self.total("recoveries")
                - self.total("servicing_fees"))

    @property
    def borrower_fees(self) -> Decimal:
        return (self.borrower_late_fees + self.borrower_returned_payment_fees
                + self.borrower_origination_fees)

    def as_json(self) -> dict:
        money = "{:.2f}".format
        return {
            "year": self.year,
            "lender": {**{name: money(self.total(name)) for name in MONEY_FIELDS},
                       "net_received": money(self.net_received),
                       "notes": [{**{k: (money(v) if k in MONEY_FIELDS else v)
                                     for k, v in asdict(line).items()}} for line in self.notes]},
            "borrower": {"interest": money(self.borrower_interest),
                         "fees": money(self.borrower_fees),
                         "late_fees": money(self.borrower_late_fees),
                         "returned_payment_fees": money(self.borrower_returned_payment_fees),
                         "origination_fees": money(self.borrower_origination_fees),
                         "interest_capitalized": money(self.borrower_interest_capitalized)},
        }


def _in_year(prefix: str, year: int) -> dict:
    return {f"{prefix}__gte": date(year, 1, 1), f"{prefix}__lte": date(year, 12, 31)}


def statement_for(*, user, year: int) -> Statement:
    """The user's statement for ``year`` (a few grouped queries)."""
    statement = Statement(year=year, email=user.email)
    lines: dict[int, NoteLine] = {}

    def line(note_id: int, loan_id: int) -> NoteLine:
        if note_id not in lines:
            lines[note_id] = NoteLine(note_id, loan_id)
        return lines[note_id]

    for row in (Distribution.objects.filter(
            note__lender=user, repayment__status=Repayment.Status.COMPLETED,
            **_in_year("repayment__paid_on", year))
            .values("note_id", "note__loan_id").annotate(
                principal=Sum("principal"), interest=Sum("interest"), late=Sum("late_fee"),
                fee=Sum("servicing_fee"))):
        entry = line(row["note_id"], row["note__loan_id"])
        entry.principal_received += cents(row["principal"])
        entry.interest += cents(row["interest"])
        entry.late_fees += cents(row["late"])
        entry.servicing_fees += cents(row["fee"])
    for row in (RecoveryShare.objects.filter(note__lender=user,
                                             **_in_year("recovery__received_on", year))
                .values("note_id", "note__loan_id").annotate(
                    gross=Sum("gross"), collection=Sum("collection_fee"),
                    fee=Sum("servicing_fee"))):
        entry = line(row["note_id"], row["note__loan_id"])
        entry.recoveries += cents(row["gross"]) - cents(row["collection"])
        entry.servicing_fees += cents(row["fee"])
    charged = {key.rsplit(":", 2)[1]: timezone.localdate(created) for key, created in
               LedgerTransaction.objects.filter(kind="charge_off", idempotency_key__in=[
                   f"loan:{loan_id}:charge-off" for loan_id in Note.objects.filter(
                       lender=user, charged_off_principal__gt=0).values_list("loan_id",
                                                                            flat=True)])
               .values_list("idempotency_key", "created_at")}
    for note_id, loan_id, written_off in Note.objects.filter(
            lender=user, charged_off_principal__gt=0).values_list(
            "pk", "loan_id", "charged_off_principal"):
        day = charged.get(str(loan_id))
        if day is not None and day.year == year:
            line(note_id, loan_id).charged_off_principal += written_off
    for row in (Capitalization.objects.filter(note__lender=user, **_in_year("day", year))
                .values("note_id", "note__loan_id").annotate(total=Sum("amount"))):
        line(row["note_id"], row["note__loan_id"]).interest_capitalized += cents(row["total"])
    for note_id, gain in trade_gains(user.pk, year).items():
        entry = lines.get(note_id) or line(note_id, Note.objects.get(pk=note_id).loan_id)
        entry.trade_gains += gain
    statement.notes = sorted(lines.values(), key=lambda n: n.note_id)
    paid = Repayment.objects.filter(borrower=user, status=Repayment.Status.COMPLETED,
                                    **_in_year("paid_on", year)).aggregate(
        interest=Sum("interest"), late=Sum("late_fees"))
    statement.borrower_interest = cents(paid["interest"] or 0)
    statement.borrower_late_fees = cents(paid["late"] or 0)
    returns = Repayment.objects.filter(borrower=user, **_in_year("returned_on", year)).count()
    statement.borrower_returned_payment_fees = RETURNED_PAYMENT_FEE * returns
    statement.borrower_origination_fees = cents(Loan.objects.filter(
        borrower=user, disbursed_at__year=year).aggregate(total=Sum("origination_fee"))["total"]
        or 0)
    statement.borrower_interest_capitalized = cents(Capitalization.objects.filter(
        note__loan__borrower=user, **_in_year("day", year)).aggregate(
        total=Sum("amount"))["total"] or 0)
    return statement


# --- Renderings ---------------------------------------------------------------------------------

CSV_HEADER = ["section", "note_id", "loan_id", *MONEY_FIELDS]


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["CommunityLend yearly statement", statement.year, spreadsheet_safe(statement.email)])
    writer.writerow(CSV_HEADER)
    for line in statement.notes:
        writer.writerow(["note", line.note_id, line.loan_id,
                         *(f"{getattr(line, name):.2f}" for name in MONEY_FIELDS)])
    writer.writerow(["lender total", "", "",
                     *(f"{statement.total(name):.2f}" for name in MONEY_FIELDS)])
    writer.writerow(["borrower", "interest", f"{statement.borrower_interest:.2f}",
                     "fees", f"{statement.borrower_fees:.2f}", "interest_capitalized",
                     f"{statement.borrower_interest_capitalized:.2f}"])
    return out.getvalue()


LABELS = {"principal_received": "Principal", "interest": "Interest", "late_fees": "Late fees",
          "servicing_fees": "Servicing fees", "charged_off_principal": "Charged off",
          "recoveries": "Recoveries", "trade_gains": "Trade gains",
          "interest_capitalized": "Interest capitalized"}


def statement_pdf(statement: Statement) -> bytes:
    """A readable one-document statement: a table per note and the totals."""
    # ReportLab is only needed here: importing it at start-up costs every process.
    from reportlab.lib import colors  # heavy library, imported on use
    from reportlab.lib.pagesizes import A4, landscape  # heavy library, imported on use
    from reportlab.lib.styles import getSampleStyleSheet  # heavy library, imported on use
    from reportlab.platypus import (  # heavy library, imported on use
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4),
                            title=f"CommunityLend statement {statement.year}")
    styles = getSampleStyleSheet()
    story = [Paragraph(f"CommunityLend yearly statement {statement.year}", styles["Title"]),
             Paragraph(f"For {statement.email}. Amounts in USD.", styles["Normal"]),
             Spacer(1, 12), Paragraph("As a lender", styles["Heading2"])]
    header = ["Note", "Loan", *(LABELS[name] for name in MONEY_FIELDS)]
    rows = [header] + [[f"#{line.note_id}", f"#{line.loan_id}",
                        *(f"{getattr(line, name):,.2f}" for name in MONEY_FIELDS)]
                       for line in statement.notes]
    rows.append(["Total", "", *(f"{statement.total(name):,.2f}" for name in MONEY_FIELDS)])
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)]))
    story += [table, Spacer(1, 6),
              Paragraph(f"Net received in cash: {statement.net_received:,.2f}",
                        styles["Normal"]),
              Spacer(1, 12), Paragraph("As a borrower", styles["Heading2"]),
              Paragraph(f"Interest paid: {statement.borrower_interest:,.2f}", styles["Normal"]),
              Paragraph("Interest added to your loans' principal (hardship plans): "
                        f"{statement.borrower_interest_capitalized:,.2f}", styles["Normal"]),
              Paragraph(f"Fees: {statement.borrower_fees:,.2f} (late fees "
                        f"{statement.borrower_late_fees:,.2f}, returned payments "
                        f"{statement.borrower_returned_payment_fees:,.2f}, origination "
                        f"{statement.borrower_origination_fees:,.2f})", styles["Normal"])]
    doc.build(story)
    return buffer.getvalue()
