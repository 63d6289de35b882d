"""Notes: a lender's share of a funded loan, with everything it has received."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


class NoteStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REPAID = "repaid", "Repaid"
    CHARGED_OFF = "charged_off", "Charged off"


class Note(models.Model):
    # note_loan and note_lender_status cover both foreign keys (no index of their own).
    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="notes",
                             db_index=False)
    lender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               db_index=False, related_name="notes")
    bid = models.OneToOneField("loans.Bid", on_delete=models.PROTECT, related_name="note")
    principal = models.DecimalField(max_digits=12, decimal_places=2)
    rate = models.DecimalField(max_digits=7, decimal_places=4)
    outstanding_principal = models.DecimalField(max_digits=12, decimal_places=2)
    principal_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    interest_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fees_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    servicing_fees_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    charged_off_principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    status = models.CharField(max_length=12, choices=NoteStatus.choices,
                              default=NoteStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="note_principal_positive"),
            models.CheckConstraint(
                condition=Q(outstanding_principal__gte=0)
                & Q(outstanding_principal__lte=models.F("principal")),
                name="note_outstanding_within_principal",
            ),
        ]
        indexes = [
            models.Index(fields=["lender", "status"], name="note_lender_status"),
            models.Index(fields=["loan", "id"], name="note_loan"),
        ]

    def __str__(self):
        return f"Note #{self.pk} on loan #{self.loan_id}: {self.principal}"

    @property
    def net_received(self) -> Decimal:
        return (self.principal_received + self.interest_received + self.late_fees_received
                - self.servicing_fees_paid)
