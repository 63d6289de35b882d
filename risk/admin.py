from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import ModelVersion, RiskAssessment


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "is_active", "trained_at", "auc_oot", "brier_oot", "card"]
    list_filter = ["is_active"]
    readonly_fields = ["version", "trained_at", "data_hash", "metrics", "artifact_path",
                       "artifact_sha256", "card_path", "is_active", "created_at", "card"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="AUC (2011 holdout)")
    def auc_oot(self, version):
        value = version.metrics.get("auc_oot")
        return f"{value:.4f}" if value is not None else "—"

    @admin.display(description="Brier (holdout)")
    def brier_oot(self, version):
        value = version.metrics.get("brier_oot")
        return f"{value:.4f}" if value is not None else "—"

    @admin.display(description="Model card")
    def card(self, version):
        return format_html('<a href="{}">View card</a>',
                           reverse("risk_model_card", args=[version.pk]))


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "source", "grade", "probability_default", "risk_score",
                    "recommended_rate", "model_version"]
    list_filter = ["source", "grade", "model_version"]
    search_fields = ["user__email"]
    list_select_related = ["user", "model_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
