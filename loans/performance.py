"""The public performance page's figures, from live data: loans funded, and by grade and vintage
(the year a loan was disbursed) the share that defaulted so far against what the model predicted
at listing (the mean probability of default)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import ExtractYear

from .models import Loan, LoanStatus

DEFAULTED = (LoanStatus.DEFAULT, LoanStatus.CHARGED_OFF)
DISBURSED = (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DEFAULT, LoanStatus.CHARGED_OFF,
             LoanStatus.REPAID)


@dataclass(frozen=True)
class Cohort:
    grade: str
    vintage: int
    loans: int
    principal: Decimal
    defaulted: int
    repaid: int
    predicted_percent: Decimal | None  # the model's mean PD over the term, in percent

    @property
    def default_percent(self) -> Decimal:
        return (Decimal(self.defaulted) * 100 / self.loans).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Performance:
    loans_funded: int
    principal_funded: Decimal
    cohorts: list[Cohort]


def platform_performance() -> Performance:
    rows = (Loan.objects.filter(status__in=DISBURSED, disbursed_at__isnull=False)
            .annotate(vintage=ExtractYear("disbursed_at"))
            .values("risk_grade", "vintage")
            .annotate(loans=Count("id"), principal=Sum("amount"),
                      defaulted=Count("id", filter=Q(status__in=DEFAULTED)),
                      repaid=Count("id", filter=Q(status=LoanStatus.REPAID)),
                      predicted=Avg("probability_default"))
            .order_by("-vintage", "risk_grade"))
    cohorts = [Cohort(grade=r["risk_grade"], vintage=r["vintage"], loans=r["loans"],
                      principal=r["principal"] or Decimal("0.00"), defaulted=r["defaulted"],
                      repaid=r["repaid"],
                      predicted_percent=None if r["predicted"] is None else
                      (Decimal(str(r["predicted"])) * 100).quantize(Decimal("0.1")))
               for r in rows]
    return Performance(loans_funded=sum(c.loans for c in cohorts),
                       principal_funded=sum((c.principal for c in cohorts), Decimal("0.00")),
                       cohorts=cohorts)
