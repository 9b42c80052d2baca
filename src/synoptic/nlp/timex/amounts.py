"""Amounts: the number a phrase denotes ("twenty four", "2 1/2", "a couple of") and the TIMEX3
duration of an amount of a unit (``P3D``, ``PT4H``, ``P2Y6M``, ``PXY``)."""

from __future__ import annotations

import re

from synoptic.nlp.timex.vocabulary import SMALL_NUMBERS, UNITS, VAGUE_NUMBERS


def number_of(text: str) -> float | None:
    """The number a phrase such as "twenty four", "2 1/2", "a couple of" denotes (None: vague)."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE_NUMBERS or not t:
        return None
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in SMALL_NUMBERS:
        return SMALL_NUMBERS[t] + half
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)(?: 1/2)?", t):
        return float(m[1]) + (0.5 if "1/2" in t else 0.0) + half
    total = 0.0
    for word in t.split():
        if word not in SMALL_NUMBERS:
            return None
        n = SMALL_NUMBERS[word]
        total = total * n if n >= 100 and total else total + n
    return total + half


def duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration for ``amount`` of ``unit`` (a key of UNITS): P3D, PT4H, P2Y6M, PXY."""
    code = UNITS[unit]
    time = unit in ("second", "minute", "hour")
    prefix = "PT" if time else "P"
    if amount is None:
        return f"{prefix}X{'C' if code == 'CE' else code}"
    if code == "H" and amount == 24:
        return "P1D"
    if code == "DE":
        return f"P{round(amount * 10)}Y"
    if code == "CE":
        return f"P{round(amount * 100)}Y"
    if code == "Q":
        return f"P{round(amount * 3)}M"
    if amount != int(amount):
        whole = int(amount)
        if code == "Y":
            return f"P{whole}Y{round((amount - whole) * 12)}M" if whole else f"P{round(amount * 12)}M"
        if code == "H":
            return f"PT{whole}H{round((amount - whole) * 60)}M" if whole else f"PT{round(amount * 60)}M"
        if code == "D":
            return f"P{whole}DT{round((amount - whole) * 24)}H" if whole else f"PT{round(amount * 24)}H"
        if code == "M" and not time:
            return f"P{whole}M{round((amount - whole) * 30)}D" if whole else f"P{round(amount * 30)}D"
    return f"{prefix}{int(amount)}{code}"


def unit_key(word: str) -> str:
    w = word.lower().rstrip("s")
    return "century" if w in ("centurie", "centuri") else w
