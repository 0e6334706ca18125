"""Money amounts in text: the one reader the sum, tally and price checks share.

"£1,850.50", "$20", "€ 9", "40 euros", "12 pounds", and "20p" / "50 cents" as 0.20 / 0.50
of the whole currency. "£2k" and "$3m" are left out: a rough figure, not one to add up.
"""

from __future__ import annotations

import re

__all__ = ["MONEY", "amounts"]

MONEY = re.compile(
    r"[$€£]\s?(\d[\d,]*(?:\.\d{1,2})?)(?!\s?(?:k|m|bn)\b)"
    r"|\b(\d[\d,]*(?:\.\d\d)?)\s?(?:dollars?|euros?|pounds?|usd|eur|gbp)\b"
    r"|\b(\d{1,3})\s?(?:p|pence|c|cents?)\b(?!\.\d)",
    re.IGNORECASE,
)


def amounts(text: str) -> list[tuple[float, int, int]]:
    """(value in whole currency, start, end) for each amount in `text`, in order."""
    out = []
    for m in MONEY.finditer(text):
        whole = m.group(1) or m.group(2)
        value = float(whole.replace(",", "")) if whole else int(m.group(3)) / 100
        out.append((value, m.start(), m.end()))
    return out
