import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from communitylend.core.forms import YearQuery, query_problem
from communitylend.core.importexport import csv_cells

from .market.selectors import model_values, open_listing_by_note
from .selectors import (
    market_trade_rows,
    monthly_cash,
    notes_of,
    payments_received,
    portfolio_summary,
    sales_of,
    with_loan_life,
)


@login_required
def portfolio(request):
    notes = with_loan_life(request.user, list(notes_of(request.user)[:500]))
    today = timezone.localdate()
    values = model_values(notes, as_of=today)
    whole = len(notes) < 500  # else the summary reads every note itself
    summary = portfolio_summary(request.user, as_of=today, notes=notes if whole else None,
                                values=values if whole else None)
    listings = open_listing_by_note(values)
    for note in notes:
        note.model_value = values.get(note.pk)
        note.listing = listings.get(note.pk)
    by_status: dict[str, int] = {}
    for note in notes:
        by_status[note.status] = by_status.get(note.status, 0) + 1
    chart = {
        "months": [row["month"] for row in monthly_cash(request.user)],
        "cash": [float(row["net"]) for row in monthly_cash(request.user)],
        "grades": list(summary["by_grade"]),
        "grade_outstanding": [float(row["outstanding"]) for row in summary["by_grade"].values()],
        "statuses": list(by_status), "status_counts": list(by_status.values()),
    }
    return render(request, "investments/portfolio.html", {
        "summary": summary, "notes": notes, "chart": chart})


class _Echo:
    def write(self, value):
        return value


def _csv_response(rows, filename):
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(csv_cells(row)) for row in rows),
                                     content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_notes(request):
    def rows():
        yield ["note", "loan", "grade", "status", "principal", "rate", "outstanding_principal",
               "principal_received", "interest_received", "late_fees_received",
               "servicing_fees_paid", "charged_off_principal", "created_at",
               "acquired_from_note", "purchase_price", "sold_principal", "sale_price",
               "sale_fee", "sale_gain"]
        sales = {t.note_id: t for t in sales_of(request.user)}
        for n in notes_of(request.user).iterator():
            sale = sales.get(n.pk)
            yield [n.pk, n.loan_id, n.loan.risk_grade, n.status, n.principal, n.rate,
                   n.outstanding_principal, n.principal_received, n.interest_received,
                   n.late_fees_received, n.servicing_fees_paid, n.charged_off_principal,
                   n.created_at.date().isoformat(), n.acquired_from_id or "",
                   n.purchase_price if n.purchase_price is not None else "",
                   n.sold_principal, sale.price if sale else "", sale.fee if sale else "",
                   sale.seller_gain if sale else ""]
    return _csv_response(rows(), "notes.csv")


@login_required
def export_payments(request):
    query = YearQuery(request.GET)
    problem = query_problem(query)
    if problem:  # checked before the download starts streaming
        return render(request, "bad_input.html", {"field": problem[0], "message": problem[1]},
                      status=400)
    year = query.cleaned_data["year"]

    def rows():
        yield ["date", "loan", "note", "principal", "interest", "late_fee", "servicing_fee",
               "net", "type"]
        rows = [(d.repayment.paid_on, 0, [d.repayment.paid_on.isoformat(), d.note.loan_id,
                                          d.note_id, d.principal, d.interest, d.late_fee,
                                          d.servicing_fee, d.net, "payment"])
                for d in payments_received(request.user, year=year).iterator()]
        rows += [(timezone.localdate(t.traded_at), 1, row)
                 for t, row in market_trade_rows(request.user, year=year)]
        for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])):
            yield row
    return _csv_response(rows(), f"payments-{year or 'all'}.csv")
