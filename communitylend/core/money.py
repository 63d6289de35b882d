"""Money primitives every app shares (DESIGN.md, "Money"): the cent, its rounding, and the
product's fixed lists (grades, terms). Amounts are Decimal, never float; rounding to the cent is
half-even (banker's rounding) unless a rule says otherwise (a bot's bid rounds up to stay above a
floor, an amount it can afford rounds down)."""

import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation

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


# One reading of a number a person or a client typed (API bodies and query parameters, web forms,
# CSV imports): ASCII digits, an optional minus sign and decimal point, nothing else. No
# exponent ("1e2"), no plus sign, no look-alike digits ("²", "١٠٠"), no NaN or Infinity: an
# amount is audited as it was written.
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_WHOLE_TEXT = re.compile(r"-?[0-9]+", re.ASCII)
NUMBER_HINT = "write a number with the digits 0-9 and at most one decimal point, e.g. 1250.50"


def parse_decimal(value) -> Decimal:
    """``value`` as a Decimal, or ValueError. JSON numbers (int, finite float) are taken as
    they are; text must match the plain form above."""
    if isinstance(value, bool):
        raise ValueError(NUMBER_HINT)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(NUMBER_HINT)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(NUMBER_HINT)
        return value
    text = str(value).strip()
    if not _DECIMAL_TEXT.fullmatch(text):
        raise ValueError(NUMBER_HINT)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only plain numbers
        raise ValueError(NUMBER_HINT) from exc


def parse_whole_number(value) -> int:
    """A whole number typed as text (or a JSON integer), or ValueError."""
    if isinstance(value, bool):
        raise ValueError("write a whole number with the digits 0-9")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not _WHOLE_TEXT.fullmatch(text):
        raise ValueError("write a whole number with the digits 0-9")
    return int(text)


# One money format on every page, email and document: the currency symbol, thousands separators,
# two decimals ("$1,234.56", "-$12.00").
CURRENCY_CODE = "USD"
CURRENCY_SYMBOL = "$"


def format_money(value) -> str:
    if value is None or value == "":
        return "—"
    amount = cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{CURRENCY_SYMBOL}{abs(amount):,.2f}"
