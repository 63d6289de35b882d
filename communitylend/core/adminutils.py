"""Admin building blocks shared by the apps. Money and state change only through services: the
admin shows them, and its actions call the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from .errors import ApplicationError


class NoWrites:
    """Nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    pass


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [f.name for f in self.model._meta.fields]


class ServiceActionsAdmin(admin.ModelAdmin):
    """Every field read-only, but staff with change permission may run the actions, which call
    services. The change form has no save button and refuses a forged save."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + list(self.readonly_fields)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False,
                         "show_save_and_continue": False, "show_save_and_add_another": False,
                         "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        raise PermissionDenied("Changes go through the actions, not the form")


def run_service_action(modeladmin, request, queryset, service, done_message: str) -> None:
    """Call ``service(obj)`` for each selected object in its own transaction (the service's):
    one refusal is reported and does not stop the others."""
    done = 0
    for obj in queryset.order_by("pk"):
        try:
            service(obj)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message.format(count=done), messages.SUCCESS)
