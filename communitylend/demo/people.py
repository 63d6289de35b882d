"""Demo people for ``seed_demo``: created through the same services users go through."""

from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User, VerificationStatus
from accounts.services import profile_update, user_register, user_verification_set

STAFF_EMAIL = "admin@communitylend.local"
STAFF_PASSWORD = "communitylend-admin"
DEMO_PASSWORD = "demo-pass-2026"

# (email, first, last, credit score, annual income, monthly debt, employment, years, home, state)
BORROWERS = [
    ("alice@demo.communitylend.local", "Alice", "Nguyen", 812, 128000, 900, "employed", 10, "MORTGAGE", "WA"),
    ("bruno@demo.communitylend.local", "Bruno", "Costa", 782, 96000, 1100, "employed", 7, "OWN", "OR"),
    ("chen@demo.communitylend.local", "Chen", "Wei", 756, 84000, 1300, "employed", 5, "RENT", "CA"),
    ("dana@demo.communitylend.local", "Dana", "Okafor", 731, 72000, 1400, "self_employed", 4, "RENT", "TX"),
    ("eli@demo.communitylend.local", "Eli", "Goldberg", 705, 61000, 1500, "employed", 3, "MORTGAGE", "NY"),
    ("fatima@demo.communitylend.local", "Fatima", "Rahman", 688, 54000, 1350, "employed", 2, "RENT", "IL"),
    ("gus@demo.communitylend.local", "Gus", "Larsen", 664, 47000, 1250, "employed", 1, "RENT", "MN"),
    ("hana@demo.communitylend.local", "Hana", "Sato", 641, 43000, 1300, "self_employed", 6, "OTHER", "FL"),
    ("ivan@demo.communitylend.local", "Ivan", "Petrov", 618, 39000, 1200, "employed", 0, "RENT", "OH"),
    ("june@demo.communitylend.local", "June", "Park", 603, 36000, 1150, "employed", 2, "RENT", "GA"),
]
LENDERS = [
    ("lena@demo.communitylend.local", "Lena", "Fischer"),
    ("marco@demo.communitylend.local", "Marco", "Rossi"),
    ("nora@demo.communitylend.local", "Nora", "Haddad"),
]


def _ensure_user(email, first, last, *, password=DEMO_PASSWORD) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user:
        return user, False
    user = user_register(email=email, password=password, first_name=first, last_name=last)
    EmailAddress.objects.filter(user=user).update(verified=True)
    return user, True


def seed_people() -> dict:
    created = {"staff": 0, "borrowers": 0, "lenders": 0}
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if staff is None:
        with transaction.atomic():
            staff = User.objects.create_superuser(email=STAFF_EMAIL, password=STAFF_PASSWORD,
                                                  first_name="Platform", last_name="Staff")
            EmailAddress.objects.create(user=staff, email=STAFF_EMAIL, primary=True,
                                        verified=True)
        created["staff"] = 1
    for (email, first, last, score, income, debt, status, years, home, state) in BORROWERS:
        user, new = _ensure_user(email, first, last)
        if not new:
            continue
        created["borrowers"] += 1
        profile_update(user=user, acting_user=user, data={
            "phone": "555-01" + str(10 + created["borrowers"]),
            "date_of_birth": date(1975 + created["borrowers"] * 2, 3, 14),
            "street": f"{created['borrowers'] * 11} Main Street", "city": "Springfield",
            "state": state, "zip_code": "10001", "annual_income": Decimal(income),
            "monthly_debt": Decimal(debt), "employment_status": status,
            "employment_length": years, "credit_score": score, "home_ownership": home,
            "is_borrower": True,
        })
        user_verification_set(acting_user=staff, user_id=user.pk,
                              status=VerificationStatus.VERIFIED,
                              note="Demo borrower: documents checked.")
    for (email, first, last) in LENDERS:
        user, new = _ensure_user(email, first, last)
        if new:
            created["lenders"] += 1
            profile_update(user=user, acting_user=user, data={"is_lender": True})
    return created
