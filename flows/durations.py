"""Numbers that young people read, worded in their own language.

Welsh counts years with a mutated, feminine noun ("dwy flynedd", "pum mlynedd"), so a
setting such as RETENTION_MONTHS cannot be pasted into copy as an English phrase.
"""

from __future__ import annotations

_CY_YEARS = {
    1: "blwyddyn",
    2: "dwy flynedd",
    3: "tair blynedd",
    4: "pedair blynedd",
    5: "pum mlynedd",
    6: "chwe blynedd",
    7: "saith mlynedd",
    8: "wyth mlynedd",
    9: "naw mlynedd",
    10: "deng mlynedd",
}


def months_in_words(months: int, lang: str) -> str:
    """A whole number of months as a reader says it: "2 years", "dwy flynedd", "18 mis"."""
    years, rest = divmod(months, 12)
    if lang == "cy":
        if rest == 0 and years in _CY_YEARS:
            return _CY_YEARS[years]
        return "mis" if months == 1 else f"{months} mis"
    if rest == 0:
        return "1 year" if years == 1 else f"{years} years"
    return "1 month" if months == 1 else f"{months} months"
