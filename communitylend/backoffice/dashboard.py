"""The platform dashboard for staff (/admin/dashboard/): one selector of aggregate queries (a
fixed number, whatever the size of the book) and a thin view."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils import timezone

from communitylend.core.money import CENT, GRADES, ZERO
from investments.market.selectors import market_totals
from investments.models import Note
from loans.models import SERVICED, Loan, LoanStatus
from payments.models import Account, AccountKind

DISBURSED = (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DEFAULT, LoanStatus.CHARGED_OFF,
             LoanStatus.REPAID)
DEFAULTED = (LoanStatus.DEFAULT, LoanStatus.CHARGED_OFF)
# Days past due, as DESIGN.md's delinquency ladder.
BUCKETS = [
    ("current", "Current", Q(days_past_due=0)),
    ("grace", "Grace (1-15 days)", Q(days_past_due__gte=1, days_past_due__lte=15)),
    ("late_16_30", "Late 16-30 days", Q(days_past_due__gte=16, days_past_due__lte=30)),
    ("late_31_120", "Late 31-120 days", Q(days_past_due__gte=31, days_past_due__lte=120)),
    ("default", "Default (121+ days)", Q(days_past_due__gte=121)),
]


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class GradeRow:
    grade: str
    loans: int
    volume: Decimal
    average_rate: Decimal | None
    defaulted: int
    default_rate: Decimal | None
    predicted_pd: Decimal | None


def platform_stats(*, months: int = 12) -> dict:
    """Everything the dashboard shows, in six aggregate queries."""
    listed = Loan.objects.filter(status=LoanStatus.LISTED).aggregate(
        count=Count("id"), asked=Sum("requested_amount"), covered=Sum("bid_total"))

    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    monthly = {row["month"].date() if hasattr(row["month"], "date") else row["month"]: row
               for row in Loan.objects.filter(status__in=DISBURSED,
                                              disbursed_at__date__gte=first)
               .annotate(month=TruncMonth("disbursed_at")).values("month")
               .annotate(volume=Sum("amount"), loans=Count("id")).order_by("month")}
    month_rows, cursor = [], first
    while cursor <= today:
        row = monthly.get(cursor, {})
        month_rows.append({"month": cursor.strftime("%Y-%m"), "volume": _money(row.get("volume")),
                           "loans": row.get("loans", 0)})
        cursor = (cursor + timedelta(days=32)).replace(day=1)

    by_grade = {row["risk_grade"]: row for row in
                Loan.objects.filter(status__in=DISBURSED).values("risk_grade").annotate(
                    loans=Count("id"), volume=Sum("amount"), rate=Avg("interest_rate"),
                    defaulted=Count("id", filter=Q(status__in=DEFAULTED)),
                    pd=Avg("probability_default")).order_by()}
    grades = []
    for grade in GRADES:
        row = by_grade.get(grade, {})
        loans = row.get("loans", 0)
        grades.append(GradeRow(
            grade=grade, loans=loans, volume=_money(row.get("volume")),
            average_rate=(Decimal(row["rate"]).quantize(CENT) if row.get("rate") is not None
                          else None),
            defaulted=row.get("defaulted", 0),
            default_rate=_percent(row.get("defaulted", 0), loans),
            predicted_pd=(Decimal(row["pd"] * 100).quantize(Decimal("0.1"))
                          if row.get("pd") is not None else None)))

    notes = Note.objects.aggregate(
        total=Sum("principal"),
        bots=Sum("principal", filter=Q(lender__bot_lender__isnull=False)))
    bot_share = _percent(notes["bots"] or 0, notes["total"] or 0)

    balances = {row["kind"]: row for row in Account.objects.filter(kind__in=(
        AccountKind.USER_AVAILABLE, AccountKind.USER_HELD, AccountKind.USER_INVESTED,
        AccountKind.PLATFORM_ORIGINATION_FEES, AccountKind.PLATFORM_SERVICING_FEES,
        AccountKind.PLATFORM_MARKET_FEES))
        .values("kind").annotate(
            total=Sum("balance"),
            bots=Sum("balance", filter=Q(user__bot_lender__isnull=False))).order_by()}

    def balance(kind, part="total"):
        return _money(balances.get(kind, {}).get(part))

    cash = {
        "available": balance(AccountKind.USER_AVAILABLE),
        "held": balance(AccountKind.USER_HELD),
        "bots": balance(AccountKind.USER_AVAILABLE, "bots") + balance(AccountKind.USER_HELD,
                                                                        "bots"),
        "invested": balance(AccountKind.USER_INVESTED),
    }
    cash["total"] = cash["available"] + cash["held"]
    cash["people"] = cash["total"] - cash["bots"]
    fees = {"origination": balance(AccountKind.PLATFORM_ORIGINATION_FEES),
            "servicing": balance(AccountKind.PLATFORM_SERVICING_FEES),
            "market": balance(AccountKind.PLATFORM_MARKET_FEES)}
    fees["total"] = fees["origination"] + fees["servicing"] + fees["market"]

    being_serviced = Q(status__in=SERVICED)
    book = Loan.objects.filter(status__in=(*SERVICED, LoanStatus.CHARGED_OFF)).aggregate(
        charged_off=Count("id", filter=Q(status=LoanStatus.CHARGED_OFF)), **{
            f"{key}_count": Count("id", filter=being_serviced & condition)
            for key, _, condition in BUCKETS}, **{
            f"{key}_principal": Sum("outstanding_principal", filter=being_serviced & condition)
            for key, _, condition in BUCKETS})
    buckets = [{"key": key, "label": label, "loans": book[f"{key}_count"],
                "principal": _money(book[f"{key}_principal"])} for key, label, _ in BUCKETS]
    buckets.append({"key": "charged_off", "label": "Charged off", "loans": book["charged_off"],
                    "principal": None})

    return {
        "open_listings": {"count": listed["count"], "asked": _money(listed["asked"]),
                          "covered": _money(listed["covered"])},
        "months": month_rows,
        "grades": grades,
        "funding": {"total": _money(notes["total"]), "bots": _money(notes["bots"]),
                    "people": _money(notes["total"]) - _money(notes["bots"]),
                    "bot_share": bot_share},
        "cash": cash,
        "fees": fees,
        "delinquency": buckets,
        "market": market_totals(),
        "as_of": today,
    }


def chart_data(stats: dict) -> dict:
    """The numbers the charts draw, as plain JSON (json_script; no inline script)."""
    return {
        "months": {"labels": [m["month"] for m in stats["months"]],
                   "volume": [float(m["volume"]) for m in stats["months"]]},
        "grades": {
            "labels": [g.grade for g in stats["grades"]],
            "rate": [float(g.average_rate) if g.average_rate is not None else None
                     for g in stats["grades"]],
            "defaultRate": [float(g.default_rate) if g.default_rate is not None else None
                            for g in stats["grades"]],
            "predictedPd": [float(g.predicted_pd) if g.predicted_pd is not None else None
                            for g in stats["grades"]],
        },
        "funding": {"labels": ["Bots", "People"],
                    "values": [float(stats["funding"]["bots"]),
                               float(stats["funding"]["people"])]},
        "delinquency": {"labels": [b["label"] for b in stats["delinquency"]],
                        "loans": [b["loans"] for b in stats["delinquency"]]},
    }


@staff_member_required
def platform_dashboard(request):
    stats = platform_stats()
    return render(request, "admin/dashboard.html", {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,
        "title": "Platform dashboard", "stats": stats, "chart": chart_data(stats),
    })
