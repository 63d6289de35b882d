"""Staff roles: Support (view only), Risk officer (KYC and listings), Administrator (all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Support": {"view": "*"},
    "Risk officer": {
        "view": "*",
        "change": [("accounts", "user"), ("loans", "loan"), ("risk", "modelversion")],
    },
    "Administrator": {"all": "*"},
}
APPS = ("accounts", "loans", "investments", "payments", "risk", "bots", "django_celery_beat")


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=APPS)
    for name, grants in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        chosen = Permission.objects.none()
        if "all" in grants:
            chosen = ours
        else:
            chosen = ours.filter(codename__startswith="view_")
            for app_label, model in grants.get("change", []):
                chosen = chosen | ours.filter(content_type__app_label=app_label,
                                              codename=f"change_{model}")
        group.permissions.set(chosen)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_periodic_tasks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("bots", "0002_periodic_task"),
        ("investments", "0002_initial"),
        ("loans", "0004_loan_autopay_loan_days_past_due_and_more"),
        ("payments", "0006_servicing_schedule"),
        ("risk", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
