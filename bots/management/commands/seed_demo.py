from django.core.management.base import BaseCommand

from accounts import demo as people
from bots import demo


class Command(BaseCommand):
    help = ("Create demo data (idempotent): staff account, verified borrowers, funded lenders, "
            "the risk model, 40 listings across grades and terms, a few bids.")

    def handle(self, *args, **options):
        created = people.seed_people()
        version = demo.ensure_risk_model(self.stdout)
        demo.fund_lenders()
        listings = demo.seed_listings()
        bids = demo.seed_bids()
        self.stdout.write(f"Staff login: {people.STAFF_EMAIL} / {people.STAFF_PASSWORD}")
        self.stdout.write(f"Demo users' password: {people.DEMO_PASSWORD}")
        self.stdout.write(
            f"seed_demo: created {created['staff']} staff, {created['borrowers']} borrowers, "
            f"{created['lenders']} lenders, {listings} listings, {bids} bids; risk model "
            f"{version} (existing data left as it was)"
        )
