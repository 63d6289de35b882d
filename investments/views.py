import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render

from communitylend.core.forms import YearQuery, query_problem
from communitylend.core.importexport import csv_cells

from .selectors import (
    monthly_cash,
    notes_of,
    payments_received,
    portfolio_summary,
    with_loan_life,
)


@login_required
def portfolio(request):
    summary = portfolio_summary(request.user)
    notes = with_loan_life(request.user, list(notes_of(request.user)[:500]))
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
               "servicing_fees_paid", "charged_off_principal", "created_at"]
        for n in notes_of(request.user).iterator():
            yield [n.pk, n.loan_id, n.loan.risk_grade, n.status, n.principal, n.rate,
                   n.outstanding_principal, n.principal_received, n.interest_received,
                   n.late_fees_received, n.servicing_fees_paid, n.charged_off_principal,
                   n.created_at.date().isoformat()]
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
               "net"]
        for d in payments_received(request.user, year=year).iterator():
            yield [d.repayment.paid_on.isoformat(), d.note.loan_id, d.note_id, d.principal,
                   d.interest, d.late_fee, d.servicing_fee, d.net]
    return _csv_response(rows(), f"payments-{year or 'all'}.csv")
