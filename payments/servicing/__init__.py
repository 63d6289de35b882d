"""Loan servicing (DESIGN.md, "Servicing"), split by role:

- ``allocation``: the pure arithmetic (note split, fees, payment allocation, re-amortization);
- ``selectors``: reads (payoff quote, schedule summary, days past due);
- ``services``: one loan's payments and day, each in one transaction;
- ``batch``: the day's run over every loan, the common case in bulk;
- ``apis``, ``views``, ``urls``: the API and the pages.

It reads loans and notes and moves money through the ledger; ``payments``' ledger, wallets and
gateways never import it.
"""
