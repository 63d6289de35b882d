"""Work that a new listing starts in a higher app: ``bots`` registers its order matching here
in ``BotsConfig.ready()`` (investments never imports bots; DESIGN.md, "Architecture")."""

from collections.abc import Callable

_listing_handlers: list[Callable[[int], None]] = []


def on_new_listing(handler: Callable[[int], None]) -> None:
    """Call ``handler(listing_id)`` after the commit of each new (or resumed) listing."""
    if handler not in _listing_handlers:
        _listing_handlers.append(handler)


def announce_listing(listing_id: int) -> None:
    for handler in list(_listing_handlers):
        handler(listing_id)
