"""Who published an article: one :class:`~synoptic.records.Outlet`, from the strongest evidence.

Runs after cleaning (it reads the credits the cleaner found). In order, the first that names it:

1. a name given with the input: a JSONL ``outlet``/``source``/``site_name`` field, an API field,
   the ``metadata.csv`` beside plain-text files (origin ``input``/``manifest``); a name that is a
   domain (``cnn.com``) is looked up in the tables below;
2. the user's table (``--outlets FILE``), then the shipped table of news domains, for the URL's
   host (``table``). The tables come before the page's own name because they are curated and the
   same for every page of a site: on 181 real pages, site names included handles ("NYTimes",
   "SputnikInt", "Nj"), two spellings of one site ("PolitiFact", "Politifact"), and a wire's name
   on a newspaper's page ("Associated Press" on sfgate.com), which would split one outlet in two
   or credit the wrong one;
3. the page's or feed's own name (``og:site_name``, JSON-LD publisher, feed title), when it reads
   as a name (not a domain, a URL, a page title, a generic word like "Home", a copyright line),
   for sites the tables do not know; an agency's name there (AP, Reuters) goes to ``wire``;
4. the URL's registered domain itself, when no table names it (``url``): a publisher is known,
   only not by name; it comes before credits because the site that published the copy is the
   outlet, whatever it credits;
5. what the text credits as the origin of the copy (``credit``): a ``Hong Kong (CNN)`` dateline, a
   correspondent's sign-off (``ITV News' Asia Correspondent ... reports``), an agency tag
   (``- AP``, ``(Reuters)``). Shown as ``CNN (credited)``: the copy is CNN's, who published it
   is not known. "With inputs from ANI" and "X contributed" lines name helpers, never the outlet.
   A mention in a sentence ("Reuters reported") is a source the article cites, not its origin,
   and is not used;
6. nothing: the file or record name stands in (``file``), each article its own unknown outlet.

Every other outlet the text credits goes to ``wire``: a Mint copy "with inputs from ANI" is
``Mint`` with wire ``ANI``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from synoptic.clean import credits as credit_rules
from synoptic.config import OutletSettings
from synoptic.outlets.domains import agencies, as_domain, host_of, lookup, registered_domain, user_mapping
from synoptic.records import Article, Outlet, source_name

_CONTRIBUTION = re.compile(
    r"\b(?:inputs?|contribut\w*|reporting|writing|editing|compiled|additional)\b", re.IGNORECASE
)
"""A credit line that names helpers of the report, not its origin ("With inputs from ANI")."""

_PICTURE_CREDIT = re.compile(
    r"\b(?:images?|photos?|photography|photographer|pictures?|getty|shutterstock|istock|video)\b",
    re.IGNORECASE,
)
"""A credit for a picture ("Getty Images", "Washington Post Staff Photo"), not for the text: seen as
credits on Multi-News dev pages, where a caption's "(Getty Images)" stood on a line of its own."""

_SEPARATOR = re.compile(r"\s+[|•·»–—-]\s+|\s*:\s+")
"""Between the parts of a page or feed title ("BBC News - World", "World news | The Guardian")."""

_NOT_A_NAME = re.compile(
    r"^(?:home|homepage|home page|news|index|latest news|breaking news|top stories|welcome|untitled)$"
    r"|^(?:copyright|©|\(c\))",
    re.IGNORECASE,
)
"""Site names that are generic words, not an outlet's name."""

MAX_NAME_CHARS = 60
"""A longer site name is a slogan or a page title, not an outlet's name."""


def identify_outlet(article: Article, settings: OutletSettings) -> Article:
    """``article`` with its :class:`Outlet` decided (see the module docstring)."""
    outlet = decide(article, settings, user_mapping(settings.domains))
    # where the name came from is the outlet's own ``origin``: not a second time in provenance
    provenance = {k: v for k, v in article.provenance.items() if k != "outlet"}
    return dataclasses.replace(article, outlet=outlet, provenance=provenance)


def decide(article: Article, settings: OutletSettings, user: Mapping[str, str]) -> Outlet:
    """The outlet of one article; ``user`` is the user's table as a mapping."""
    given = article.outlet
    host = host_of(article.url) or (given.domain if given is not None else None)
    domain = registered_domain(host)
    publishers, helpers = credit_roles(article)
    outlet: Outlet | None = None
    if given is not None and given.origin in ("input", "manifest"):
        outlet = _explicit(given, host, user)
    if outlet is None and host and (hit := lookup(host, user)):
        outlet = Outlet(name=hit[0], domain=domain, origin="table")
    site = _site_name(given, host) if given is not None and given.origin == "metadata" else None
    if outlet is None and site is not None and site.name.casefold() not in agencies():
        outlet = site
    if outlet is None and domain:
        outlet = Outlet(name=domain, domain=domain, origin="url")
    if outlet is None and settings.from_credits and publishers:
        outlet = Outlet(name=publishers[0], origin="credit")
    if outlet is None:
        outlet = Outlet(name=source_name(article.source), origin="file")
    if outlet.domain is None and domain:
        outlet = dataclasses.replace(outlet, domain=domain)
    own = {outlet.name.casefold()}
    # an agency a page names as its site ("Associated Press" on sfgate.com) is the copy's wire
    agency = (site.name,) if site is not None and site.name.casefold() in agencies() else ()
    wire = tuple(c for c in dict.fromkeys((*agency, *publishers, *helpers)) if c.casefold() not in own)
    return dataclasses.replace(outlet, wire=wire)


def _explicit(given: Outlet, host: str | None, user: Mapping[str, str]) -> Outlet | None:
    """A name given with the input; a domain given as the name is named by the tables."""
    name = given.name.strip()
    if not name:
        return None
    as_host = as_domain(name)
    if as_host is None:
        return dataclasses.replace(given, name=name)
    hit = lookup(as_host, user)
    if hit is not None:
        return Outlet(name=hit[0], domain=registered_domain(as_host), origin="table")
    return Outlet(name=registered_domain(as_host) or as_host, domain=registered_domain(as_host), origin="url")


def _site_name(given: Outlet, host: str | None) -> Outlet | None:
    """A page's or feed's own name, when it reads as an outlet's name."""
    name = " ".join(given.name.split()).lstrip("@").strip("_")
    if as_domain(name) is not None and (name.islower() or "/" in name):
        return None  # trafilatura falls back to the host; "POLYGRAPH.info" is a name as the site writes it
    domain = registered_domain(host) or ""
    subdomain = (host or "").removesuffix(domain).split(".")
    if any(name in (label, label.title()) for label in subdomain if label):
        return None  # a subdomain trafilatura title-cased ("hosted.ap.org" -> "Hosted"): not a name
    if _SEPARATOR.search(name):  # "World news | The Guardian": the part that is the domain's name
        name = next((part for part in _SEPARATOR.split(name) if _names_domain(part, host)), "")
    if not 2 <= len(name) <= MAX_NAME_CHARS or _NOT_A_NAME.search(name):
        return None
    return dataclasses.replace(given, name=name)


def _names_domain(part: str, host: str | None) -> bool:
    """Whether a part of a title spells the site's domain name ("BBC News" for bbc.co.uk)."""
    domain = registered_domain(host)
    if not domain:
        return False
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0])
    squashed = re.sub(r"[^a-z0-9]", "", part.casefold())
    return len(label) >= 2 and bool(squashed) and (label in squashed or squashed in label)


def credit_roles(article: Article) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(origins, helpers)`` among the outlets the text credits: origins say whose copy this is
    (dateline, sign-off, agency tag), helpers contributed to it ("With inputs from ANI")."""
    if not article.credits:
        return (), ()
    every = [r.text for r in article.removed if r.reason == "origin credit"]
    pictures = [line for line in every if _PICTURE_CREDIT.search(line)]
    lines = [line for line in every if not _PICTURE_CREDIT.search(line)]
    helper_lines = [line for line in lines if _CONTRIBUTION.search(line)]
    origin_lines = [line for line in lines if not _CONTRIBUTION.search(line)]
    signed = {s.casefold() for s in credit_rules.sign_offs(article.text)}
    origins: list[str] = []
    helpers: list[str] = []
    for credit in dict.fromkeys(c.strip() for c in article.credits if c.strip()):
        in_picture_line = any(credit in line for line in pictures) and not any(
            credit in line for line in lines
        )
        if _PICTURE_CREDIT.search(credit) or in_picture_line:
            continue  # "(Washington Post Staff Photo/Andrea Bruce)": the picture's credit
        if credit.casefold() in signed or any(credit in line for line in origin_lines):
            origins.append(credit)
        elif any(credit in line for line in helper_lines):
            helpers.append(credit)
        else:  # a dateline left in the text (cut_datelines off): still the copy's origin
            origins.append(credit)
    return tuple(origins), tuple(helpers)
