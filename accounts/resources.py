"""CSV export and admin import of users (the original platform's users.csv columns first)."""

from communitylend.core.importexport import ServiceImportResource

from .imports import USER_COLUMNS, users_import
from .models import User


class UserResource(ServiceImportResource):
    importer = staticmethod(users_import)
    import_columns = USER_COLUMNS

    class Meta:
        model = User
        name = "Users (users.csv)"
        fields = (*USER_COLUMNS, "id", "date_of_birth", "monthly_debt", "employment_length",
                  "home_ownership", "verification_status", "verified_at", "is_borrower",
                  "is_lender", "is_staff", "profile_completed", "date_joined")
        export_order = fields
