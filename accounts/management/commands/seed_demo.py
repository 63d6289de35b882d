from django.core.management.base import BaseCommand

from accounts import demo


class Command(BaseCommand):
    help = "Create demo data (idempotent): staff account, borrowers, lenders; later: listings, bots."

    def handle(self, *args, **options):
        created = demo.seed_people()
        self.stdout.write(f"Staff login: {demo.STAFF_EMAIL} / {demo.STAFF_PASSWORD}")
        self.stdout.write(f"Demo users' password: {demo.DEMO_PASSWORD}")
        self.stdout.write(
            f"seed_demo: created {created['staff']} staff, {created['borrowers']} borrowers, "
            f"{created['lenders']} lenders (existing ones left as they were)"
        )
