"""What the data migrations that widen the staff groups' permissions share. Migrations call it
with their own historical ``apps``, so it works on the models as they were at that migration."""

from django.contrib.auth.management import create_permissions

STAFF_GROUPS = ("Support", "Risk officer", "Administrator")


def grant_to_staff_groups(apps, app_label: str, codenames, groups=STAFF_GROUPS) -> None:
    """Add the permissions ``codenames`` of ``app_label`` to the named staff groups, creating the
    app's permissions first (post_migrate has not run yet inside a migration)."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    chosen = Permission.objects.filter(content_type__app_label=app_label,
                                       codename__in=list(codenames))
    for group in Group.objects.filter(name__in=groups):
        group.permissions.add(*chosen)
