from django.core.management.base import BaseCommand

from bots.cycle import bot_cycle_run
from communitylend.demo import market as demo
from communitylend.demo import people


class Command(BaseCommand):
    help = ("Create demo data (idempotent): staff account, verified borrowers, funded lenders, "
            "the risk model, 40 listings across grades and terms, a few bids, the six bot "
            "lenders (running), one bot cycle so the market has bot bids at once, and a few of the "
            "best-covered listings topped up and accepted, so there are live loans.")

    def handle(self, *args, **options):
        created = people.seed_people()
        version = demo.ensure_risk_model(self.stdout)
        demo.fund_lenders()
        listings = demo.seed_listings()
        bids = demo.seed_bids()
        bots = demo.seed_bots()
        cycle = bot_cycle_run()
        disbursed = demo.seed_disbursed_loans()
        self.stdout.write(f"Staff login: {people.STAFF_EMAIL} / {people.STAFF_PASSWORD}")
        self.stdout.write(f"Demo users' password: {people.DEMO_PASSWORD}")
        self.stdout.write(cycle.summary())
        self.stdout.write(
            f"seed_demo: created {created['staff']} staff, {created['borrowers']} borrowers, "
            f"{created['lenders']} lenders, {listings} listings, {bids} bids, {bots} bots "
            f"(bot cycle placed {cycle.bids} bids), {disbursed} loans disbursed; risk model "
            f"{version} (existing data left as it was)"
        )
