"""Money primitives every app shares (DESIGN.md, "Money"): the cent, its rounding, and the
product's fixed lists (grades, terms). Amounts are Decimal, never float; rounding to the cent is
half-even (banker's rounding) unless a rule says otherwise (a bot's bid rounds up to stay above a
floor, an amount it can afford rounds down)."""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

GRADES = ("A", "B", "C", "D", "E")
# The platform's servicing fee: 1% of everything a lender receives (DESIGN.md, "Servicing").
SERVICING_FEE_RATE = Decimal("0.01")
TERMS = (12, 24, 36, 60)


def cents(value) -> Decimal:
    """``value`` to the cent, half-even."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def cents_up(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_CEILING)


def cents_down(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_FLOOR)
