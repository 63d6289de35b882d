from django.db import migrations


def register(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Send queued notification emails (outbox sweep)",
        defaults={"task": "accounts.tasks.notifications_flush", "interval": every_minute,
                  "enabled": True},
    )


    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1, defaults={"domain": "127.0.0.1:8000", "name": "CommunityLend"}
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="accounts.tasks.notifications_flush"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("sites", "0002_alter_domain_unique"),
    ]
    operations = [migrations.RunPython(register, unregister)]
