"""The secondary market (DESIGN.md, "Secondary market"): listings, trades and standing buy
orders. ``figures`` is the pure math (no database), ``rules`` the one place that says whether a
note may be sold and at what price, ``selectors`` the reads, ``services`` every write (a trade
is one ledger transaction), ``apis`` and ``views`` the thin interfaces. Order matching runs in
``bots`` (the engine that runs auto-invest), started through ``hooks``."""
