"""``manage.py feature_flag`` lists the flags; ``feature_flag NAME on|off|default [--note]`` sets
one at run time, as staff do in the admin (an unknown name: an error, nothing changed)."""

from django.core.management.base import BaseCommand, CommandError

from accounts import flags, services
from communitylend.core.errors import ApplicationError

SETTINGS = {"on": True, "off": False, "default": None}


class Command(BaseCommand):
    help = "List the feature flags, or set one: NAME on|off|default (default: the environment's)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("setting", nargs="?", choices=sorted(SETTINGS))
        parser.add_argument("--note", default="")

    def handle(self, *args, name=None, setting=None, note="", **options):
        try:
            if name is not None:
                name = flags.flag_name(name.upper())
                if setting is None:
                    raise CommandError("Say on, off or default after the flag's name")
                services.feature_flag_set(acting_user=None, name=name,
                                          enabled=SETTINGS[setting], note=note)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for flag in flags.flags_state():
            override = "environment" if flag["override"] is None else (
                "staff: on" if flag["override"] else "staff: off")
            self.stdout.write(f"{flag['name']:<28} {'on' if flag['enabled'] else 'off':<4}"
                              f"(environment default {'on' if flag['default'] else 'off'}; "
                              f"{override})  {flag['label']}")
