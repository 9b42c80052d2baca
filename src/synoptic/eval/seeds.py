"""The seed story's gold claims (``../shared/eval/seeds/gold.json``) matched to a system's claims.

A gold claim is a sentence of prose; a system's claim cites spans of the articles. Each gold claim
has a pattern here that a citation stating it matches (written by hand from the gold), and the
system claim it is matched to is the one with the most outlets among the citations that match.
Used by the cross-check benchmark and its tests, which must score the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

CLAIM_KEYWORDS = {
    "The visit lasts three days, Monday to Wednesday": r"three-day|three days|Monday to Wednesday",
    "Xi and Putin declared a 'no limits' friendship/partnership in February 2022": r"no.limits|borderless",
    "China has refused to condemn the invasion": r"condemn",
    "China presents a peace plan / position paper on Ukraine": r"peace plan|position paper",
    "Western officials are concerned China may provide lethal aid to Russia": r"lethal|weapons",
    "The ICC issued an arrest warrant for Putin": r"ICC|International Criminal Court",
    "Xi invited Putin to visit China this year": r"invited (?:\w+ ){0,3}Putin to",
    "It is Xi's first visit to Russia since the invasion": r"first (?:visit )?to Russia since",
    "It is Xi's first trip abroad since securing a third term": r"third term",
    "Putin visited Mariupol just before the visit": r"Mariupol",
    "The first talks lasted four and a half hours": r"four and a half hours",
    "Xi has met Putin in person 39 times": r"39 times",
    "Japanese Prime Minister Kishida visited Kyiv": r"Kishida",
    "Xi met Prime Minister Mishustin": r"Mishustin",
}
"""Gold claim -> a pattern that a citation stating it matches."""

C = TypeVar("C")


def gold_outlets(gold_claim: Mapping[str, Any], names: Mapping[str, str] | None = None) -> set[str]:
    """The outlets of a gold claim. The gold names its sources by file name; ``names`` maps a file
    name to the outlet name the system shows for it (:func:`outlet_names`); without it, or for a
    file it does not know, the file name without the extension stands in."""
    names = names or {}
    return {names.get(str(s), str(s).rsplit(".", 1)[0]) for s in gold_claim["sources"]}


def outlet_names(articles: Iterable[Any]) -> dict[str, str]:
    """File name -> outlet name shown, for articles read from files (``Article``-like)."""
    return {str(a.source).replace("\\", "/").rsplit("/", 1)[-1]: a.outlet_name for a in articles}


def match_claim(
    claims: Iterable[C], cited: Callable[[C], Iterable[tuple[str, str]]], gold_claim: str
) -> C | None:
    """The claim with the most outlets among its citations (``cited``: outlet and text of each)
    that state ``gold_claim``; None when no citation does."""
    keyword = CLAIM_KEYWORDS[gold_claim]
    best: tuple[int, C] | None = None
    for claim in claims:
        hits = {outlet for outlet, text in cited(claim) if re.search(keyword, text)}
        if hits and (best is None or len(hits) > best[0]):
            best = (len(hits), claim)
    return best[1] if best else None
