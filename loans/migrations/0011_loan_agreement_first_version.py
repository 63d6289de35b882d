"""The first version of the loan agreement, so that borrowers can accept from the start; staff
publish later versions in the admin."""

from django.db import migrations
from django.utils import timezone

TEXT = """This agreement is between {borrower_name} (the borrower) and the lenders whose bids \
were accepted for loan #{loan_id} ({lender_count} lender(s)), arranged and serviced by \
CommunityLend (the platform), dated {date}.

1. The loan. The lenders lend the loan amount shown in the disclosure below. The platform pays \
the amount received (the loan amount less the origination fee) into the borrower's CommunityLend \
wallet when the borrower accepts.

2. Interest. Interest is charged monthly on the outstanding principal at the fixed interest rate \
shown below (the yearly rate divided by 12). The rate is the auction's clearing rate and does not \
change.

3. Payments. The borrower repays in the monthly installments of the schedule below. A payment \
settles, in order, late fees, then interest and principal already due, then the next installment \
ahead, then principal; the borrower may choose to send anything beyond what is due to principal. Autopay takes each installment from the \
wallet on its due date while it is switched on.

4. Prepayment. The borrower may repay all or part of the loan at any time without a penalty.

5. Late payment. An installment unpaid 15 days after its due date incurs one late fee of the \
greater of $15.00 and 5% of the installment. A loan 121 days past due is in default; at 150 days \
it is charged off and may be passed to collection.

6. Fees. The origination fee is deducted from the amount paid out. Lenders pay the platform a \
servicing fee of 1% of what they receive; the borrower pays no other fee than those listed here.

7. Servicing. The platform services the loan for the lenders: it collects payments, keeps the \
records and passes what it collects to the lenders in proportion to their notes.

8. Hardship. A borrower in difficulty can ask for a payment plan from the loan page; the platform \
decides with the lenders' interests in mind.

9. Electronic signature. The borrower accepts this agreement electronically. The platform keeps \
the signed copy, with the time, address and browser of the acceptance, and the borrower can \
download it from the loan page at any time.
"""


def publish(apps, schema_editor):
    LoanAgreement = apps.get_model("loans", "LoanAgreement")
    if not LoanAgreement.objects.exists():
        LoanAgreement.objects.create(version=1, title="Loan agreement", text=TEXT,
                                     published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("loans", "0010_loan_agreement_and_signed_copy")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
