"""API tokens bound to the credentials they were issued under (TokenCredential); tokens issued
before carry no record of that, so they are revoked: their owners log in again once."""

import django.db.models.deletion
from django.db import migrations, models


def revoke_unbound_tokens(apps, schema_editor):
    apps.get_model("authtoken", "Token").objects.filter(credential__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_notification_user_no_own_index'),
        ('authtoken', '0004_alter_tokenproxy_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='TokenCredential',
            fields=[
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='credential', serialize=False, to='authtoken.token')),
                ('auth_hash', models.CharField(max_length=128)),
                ('second_factor_at', models.DateTimeField(blank=True, null=True)),
                ('issued_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name='user',
            name='credentials_epoch',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(revoke_unbound_tokens, migrations.RunPython.noop),
    ]
