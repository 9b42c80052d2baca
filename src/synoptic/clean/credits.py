"""Origin credits written in the text: who the story (or part of it) comes from.

Syndicated and agency copy says where it came from in a few fixed grammatical shapes, which
this module reads without any list of outlets:

- a dateline prefix: ``Hong Kong (CNN) Chinese leader...``, ``LONDON, March 20 (Reuters) -``;
- a credit line: ``(With inputs from ANI)``, ``CNN's Anna Chernova contributed to this story``,
  ``(Reuters)``, ``- AP``, ``Source: AFP``, ``(Reporting by ...; Editing by ...)``;
- a correspondent sign-off inside a sentence: ``..., ITV News' Asia Correspondent Debi Edward
  reports``. That sentence is story text and stays; only the outlet is recorded.

Credit lines and dateline prefixes are page furniture: the cleaner takes them out of the body
and keeps the outlet names in ``Article.credits``.
"""

from __future__ import annotations

import re

from synoptic.clean.shape import squash

_NAME = r"[A-Z][\w.&'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w.&'’-]*){0,3}"
"""A proper name of up to four capitalised words (an outlet or agency)."""

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_PLACE = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?"

DATELINE = re.compile(
    rf"^(?:(?P<place>{_PLACE})(?:,?\s*(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}))?\s*)?"
    rf"\((?P<outlet>{_NAME})\)\s*(?:[-–—:]+\s*)?(?=[A-Z\"“‘'0-9])"
)
"""``Place[, Date] (Outlet) [-]`` at the start of a paragraph, followed by the story."""

_GENERIC = re.compile(
    r"^(?:(?:news |wire )?agenc(?:y|ies)|wires?|staff|bureaus?|correspondents?|reporters?|news desk)$",
    re.IGNORECASE,
)

CREDIT_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^\(?\s*with (?:additional |agency )?(?:inputs?|reporting|contributions?) (?:from|by)"
        r" (?P<names>.{2,80}?)\s*\)?\.?$",
        re.IGNORECASE,
    ),
    re.compile(r"^\(?\s*with (?:agency |wire )?inputs?\s*\)?\.?$", re.I),
    re.compile(r"^\(?\s*(?:additional )?(?:reporting|writing|editing|compiled) by .{2,200}\)?\.?$", re.I),
    re.compile(
        rf"^(?:(?P<names>{_NAME})['’]s?\s+)?{_NAME}(?:,\s*{_NAME})*(?:,?\s+(?:and|&)\s+{_NAME})?\s+"
        r"contributed(?:\s+(?:reporting|to\s+(?:this|the)\s+(?:story|report|article|reporting)))\b.{0,80}$"
    ),
    re.compile(rf"^\(\s*(?P<names>{_NAME}(?:\s*(?:,|/|and|&)\s*{_NAME})*)\s*\)\.?$"),
    re.compile(r"^(?i:source|sources|via|courtesy|contributing)\s*:\s*(?P<names>[^.:]{2,60})\.?$"),
    re.compile(
        rf"^(?P<names>{_NAME})\s+(?i:writers?|reporters?|correspondents?|staff(?: writers?)?|journalists?)\s+"
        r".{2,300}\s+contributed\b.{0,80}$"
    ),
    re.compile(
        r"^\(?\s*this (?:story|article|report) (?:has been|was|is) (?:published|auto-generated|generated|"
        r"edited|taken) (?:from|via) (?:an? )?(?:wire|syndicated|agency|news agency)\b.{0,80}$",
        re.IGNORECASE,
    ),
)

SIGN_OFF = re.compile(
    rf"(?P<outlet>{_NAME})['’]s?\s+(?:[A-Z][\w-]*\s+){{0,4}}"
    r"(?:[Cc]orrespondent|[Ee]ditor|[Rr]eporter|[Aa]nalyst|[Cc]orrespondent)\s+"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}\s+(?:reports|writes|explains|has the story|has more|reporting)\b"
)
"""``<Outlet>'s <Role> <Name> reports``: a correspondent introducing a report."""

DASH_TAG = re.compile(r"^[-–—]+\s*(?P<outlet>[A-Z]{2,6}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\.?$")
"""A last line that is only ``- AP`` / ``— Associated Press`` (not a bullet: see :func:`last_line`)."""

TRAILING = re.compile(
    r"(?<=[.!?\"”’])\s+[-–—]+\s*(?P<outlet>[A-Z]{2,6}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s*$"
)
"""``... the end of the story. — AP``: an agency tag at the very end of the last paragraph."""


def _split_names(names: str) -> tuple[str, ...]:
    parts = [p.strip(" .") for p in re.split(r"\s*(?:,|/|;|\band\b|&)\s*", names)]
    return tuple(p for p in parts if p[:1].isupper() and not _GENERIC.match(p))


def _initials(words: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_][\w'’-]*", words) if w[0].isupper())


def credit_line(line: str) -> tuple[str, ...] | None:
    """The outlets named by a line that is only an origin credit (``()`` when it names none)."""
    text = squash(line)
    if len(text) > 240:
        return None
    for pattern in CREDIT_LINES:
        m = pattern.match(text)
        if m is not None:
            names = m.groupdict().get("names")
            return _split_names(names) if names else ()
    return None


def dateline(line: str) -> tuple[str, int] | None:
    """The outlet of a ``Place (Outlet)`` dateline prefix and where the story text starts."""
    m = DATELINE.match(line)
    if m is None:
        return None
    outlet, place = m.group("outlet"), m.group("place") or ""
    if len(outlet) < 2 or (place and _initials(place) == outlet.replace(".", "")):
        return None  # "World Health Organization (WHO) said": an acronym, not a dateline
    return outlet, m.end()


def trailing(line: str) -> tuple[str, int] | None:
    """An agency tag at the end of a paragraph: the outlet and where the tag starts."""
    m = TRAILING.search(line)
    if m is None:
        return None
    return m.group("outlet"), m.start()


def last_line(line: str, previous: str | None) -> str | None:
    """The outlet of a last line that is only a dashed agency tag (``- AP``).

    A dash also starts list items (``- GPS``); the tag counts only when the line before is not
    itself a dashed item.
    """
    m = DASH_TAG.match(squash(line))
    if m is None or (previous is not None and previous.lstrip()[:1] in "-–—•*"):
        return None
    return m.group("outlet")


def sign_offs(text: str) -> tuple[str, ...]:
    """Outlets named in correspondent sign-offs (the sentence itself stays in the body)."""
    found: list[str] = []
    for m in SIGN_OFF.finditer(text):
        outlet = m.group("outlet").strip()
        if outlet not in found:
            found.append(outlet)
    return tuple(found)
