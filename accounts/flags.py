"""Feature flags (README, "Operations: feature flags"): ``flag_enabled(FeatureFlag.X)``.

A flag's default comes from the environment variable of the same name (``ENABLE_ML_SCORING``
...; on when unset: settings.FEATURE_FLAG_DEFAULTS); staff override it at run time in the admin
or with ``manage.py feature_flag`` (a ``FeatureFlagOverride`` row). Reads go through the cache
for ``FEATURE_FLAG_CACHE_SECONDS`` (5 by default), so a change reaches every process within
seconds without a query per request; the process that changes a flag sees it at once."""

from django.conf import settings
from django.core.cache import cache

from communitylend.core.errors import ApplicationError

from .models import FeatureFlag, FeatureFlagOverride

CACHE_KEY = "feature-flag-overrides:v1"


class UnknownFeatureFlag(ApplicationError):
    def __init__(self, name):
        super().__init__(
            f"Unknown feature flag {name!r}; the flags are " + ", ".join(FeatureFlag.values),
            field="name")


def flag_name(name) -> str:
    """The flag's name, checked: an unknown name is an error, never silently 'off'."""
    if name not in FeatureFlag.values:
        raise UnknownFeatureFlag(name)
    return str(FeatureFlag(name).value)


def _overrides() -> dict[str, bool]:
    overrides = cache.get(CACHE_KEY)
    if overrides is None:
        overrides = dict(FeatureFlagOverride.objects.filter(enabled__isnull=False)
                         .values_list("name", "enabled"))
        cache.set(CACHE_KEY, overrides, timeout=settings.FEATURE_FLAG_CACHE_SECONDS)
    return overrides


def flag_default(name) -> bool:
    return settings.FEATURE_FLAG_DEFAULTS.get(flag_name(name), True)


def flag_enabled(name) -> bool:
    name = flag_name(name)
    overrides = _overrides()
    return overrides[name] if name in overrides else flag_default(name)


def flags_state() -> list[dict]:
    """Every flag: name, label, environment default, staff override (None: none), effective."""
    overrides = _overrides()
    return [{"name": flag.value, "label": flag.label, "default": flag_default(flag.value),
             "override": overrides.get(flag.value),
             "enabled": overrides.get(flag.value, flag_default(flag.value))}
            for flag in FeatureFlag]


def flags_forget_cached() -> None:
    cache.delete(CACHE_KEY)
