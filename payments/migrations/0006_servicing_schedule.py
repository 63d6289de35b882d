from django.db import migrations


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(minute="5", hour="0", day_of_week="*",
                                                     day_of_month="*", month_of_year="*")
    PeriodicTask.objects.update_or_create(
        name="Daily loan servicing (autopay, late fees, reminders)",
        defaults={"task": "payments.tasks.run_servicing_today", "crontab": daily,
                  "interval": None, "enabled": True})
    # Also hourly, so a day missed while the site was down is caught up soon (idempotent).
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.update_or_create(
        name="Loan servicing catch-up (hourly)",
        defaults={"task": "payments.tasks.run_servicing_today", "interval": hourly,
                  "enabled": True})


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="payments.tasks.run_servicing_today").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_repayment_distribution"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
