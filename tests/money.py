"""Money helpers for tests: deposits through the wallet service, balances through selectors."""

from decimal import Decimal

from payments.selectors import wallet_balances
from payments.services import wallet_deposit


def fund(user, amount) -> None:
    wallet_deposit(user=user, amount=Decimal(amount))


def available(user) -> Decimal:
    return wallet_balances(user.pk)["available"]


def held(user) -> Decimal:
    return wallet_balances(user.pk)["held"]
