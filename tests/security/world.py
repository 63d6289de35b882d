"""One small market with every kind of private object, and the seven people of the access matrix.

Built through the services (STYLE.md rule 8). ``ids`` name the objects the matrix's URLs use.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.documents import PDF
from tests.factories import PASSWORD, give_totp, make_staff, make_staff_in, make_user
from tests.money import fund

BASE_PERSONAS = ("anonymous", "borrower", "other_borrower", "lender", "other_lender", "support",
                 "administrator")
# Staff whose request has not passed the second factor (issue 18, finding 3): a Risk officer who
# never set up TOTP, and Support staff with TOTP whose session and token skipped the code. Both
# are ordinary users outside the admin and /staff/, sent to the second factor there, and refused
# by the API. The Risk officer who passed it has the administrator's answers in the matrix.
NO_SECOND_FACTOR = ("risk_officer_no_2fa", "support_no_2fa")
PERSONAS = (*BASE_PERSONAS, "risk_officer", *NO_SECOND_FACTOR)
D = Decimal


@dataclass
class World:
    people: dict[str, User | None]
    ids: dict[str, object] = field(default_factory=dict)


def support_staff(email="support@example.com") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Support"))
    return give_totp(user)


def risk_officer_without_totp(email="risk.no.totp@example.com") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Risk officer"))
    return user


def build_world(model_version) -> World:
    from accounts.integrations import api_key_create, webhook_endpoint_create
    from accounts.services import kyc_document_upload, notification_create
    from bots.services import auto_invest_rule_create
    from loans import services as market

    administrator = make_staff("administrator@example.com")
    support = support_staff()
    borrower = make_user("matrix.borrower@example.com", verified=True)
    other_borrower = make_user("matrix.other.borrower@example.com", verified=True)
    lender = make_user("matrix.lender@example.com")
    other_lender = make_user("matrix.other.lender@example.com")
    risk_officer = make_staff_in("Risk officer", "risk.officer@example.com")
    risk_officer_no_2fa = risk_officer_without_totp()
    support_no_2fa = support_staff("support.no.code@example.com")
    for person in (lender, other_lender, support, administrator, risk_officer,
                   risk_officer_no_2fa, support_no_2fa):
        fund(person, "5000.00")
    listed = market.loan_apply(borrower=borrower, amount=D("2000"), term_months=12,
                               purpose="car", max_rate=D("30"), staff_grade="C")
    bid = market.bid_place(lender=lender, loan_id=listed.pk, amount=D("100"), rate=D("29"))
    active = market.loan_apply(borrower=borrower, amount=D("1000"), term_months=12,
                               purpose="car", max_rate=D("30"), staff_grade="C")
    market.bid_place(lender=lender, loan_id=active.pk, amount=D("1000"), rate=D("20"))
    market.loan_accept(borrower=borrower, loan_id=active.pk)
    document = kyc_document_upload(
        user=borrower, uploaded_file=SimpleUploadedFile("id.pdf", PDF),
        document_type="government_id")
    notification = notification_create(user_id=borrower.pk, kind="test", title="For the borrower")
    rule = auto_invest_rule_create(user=lender, data={"name": "matrix rule"})
    api_key, _ = api_key_create(user=lender, name="matrix key", scope="read")
    webhook = webhook_endpoint_create(user=lender, url="http://127.0.0.1:9/matrix",
                                      events=["bid.won"])
    people = {"anonymous": None, "borrower": borrower, "other_borrower": other_borrower,
              "lender": lender, "other_lender": other_lender, "support": support,
              "administrator": administrator, "risk_officer": risk_officer,
              "risk_officer_no_2fa": risk_officer_no_2fa, "support_no_2fa": support_no_2fa}
    return World(people=people, ids={
        "listed": listed.pk, "active": active.pk, "bid": bid.pk, "document": document.pk,
        "notification": notification.pk, "rule": rule.pk, "lender": lender.pk,
        "api_key": api_key.pk, "webhook": webhook.pk,
        "borrower": borrower.pk, "model": model_version.pk, "missing": 999999})
