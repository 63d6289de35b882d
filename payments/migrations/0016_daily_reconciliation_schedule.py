"""The daily reconciliation of the gateway's settlement file (payments.tasks.reconcile_yesterday)
at 01:15, after the day's servicing."""

from django.db import migrations

NAME = "Daily reconciliation of yesterday's settlement file"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="15", hour="1", day_of_week="*",
                                                       day_of_month="*", month_of_year="*")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": "payments.tasks.reconcile_yesterday", "crontab": nightly,
                             "interval": None, "enabled": True})


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0015_staff_groups_see_servicing_runs")]
    operations = [migrations.RunPython(register, unregister)]
