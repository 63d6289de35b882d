from django.conf import settings
from django.db import models
from django.db.models import Q


class ModelVersion(models.Model):
    """A trained credit model: its artifact (verified by sha256 on load), metrics and card."""

    version = models.CharField(max_length=80, unique=True)
    trained_at = models.DateTimeField()
    data_hash = models.CharField(max_length=64)
    metrics = models.JSONField(default=dict)
    artifact_path = models.CharField(max_length=500)
    artifact_sha256 = models.CharField(max_length=64)
    card_path = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True),
                                    name="one_active_model_version"),
        ]

    def __str__(self):
        return f"{self.version}{' (active)' if self.is_active else ''}"


class RiskAssessment(models.Model):
    """One scoring: inputs, probability of default, grade, pricing and the factors behind it."""

    class Source(models.TextChoices):
        APPLICATION = "application", "Loan application"
        API = "api", "API assessment"
        ESTIMATE = "estimate", "Borrower estimate"
        IMPORT = "import", "CSV import"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="risk_assessments")
    source = models.CharField(max_length=20, choices=Source.choices)
    inputs = models.JSONField()
    imputed = models.JSONField(default=list)
    probability_default = models.DecimalField(max_digits=6, decimal_places=4)
    risk_score = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=1)
    recommended_rate = models.DecimalField(max_digits=7, decimal_places=4)
    floor_rate = models.DecimalField(max_digits=7, decimal_places=4)
    factors = models.JSONField(default=list)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT,
                                      related_name="assessments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.grade} PD {self.probability_default} ({self.model_version.version})"
