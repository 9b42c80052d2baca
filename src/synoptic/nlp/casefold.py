"""What a substring prefilter for a case-insensitive pattern must watch for.

A case-insensitive pattern of ASCII words can only match a text whose lower-cased form holds those
words, so a cheap substring test can rule the pattern out; the stages use that to skip costly
patterns (time expressions, values in claims, page furniture in summaries). Four characters
outside ASCII break it: under ``re.IGNORECASE`` they match ASCII letters (İ and ı match i, ſ
matches s, the Kelvin sign K matches k), but ``str.lower`` does not turn them into those letters.
A text holding one of them must be searched with the pattern itself.
"""

from __future__ import annotations

CASE_TRAPS = frozenset("\u0130\u0131\u017f\u212a")
"""The characters outside ASCII that a case-insensitive pattern matches as an ASCII letter."""
