"""HTML pages: main text with trafilatura, then structural tidying; metadata from the page.

trafilatura (``favor_precision=True``, comments excluded) finds the main content. On top of it,
:func:`tidy` removes what trafilatura keeps but is not article text, using the structure of
the page, not lists of phrases from particular sites:

- (added, not removed) the other parts of a body that ad rows cut into repeated containers;
- a first paragraph that repeats the title (the page's ``<h1>`` inside the article);
- paragraphs that trafilatura marked as headings when they only label the blocks around them;
- a trailing run of "end matter": newsletter and subscription promos, share and follow
  prompts, "related"/"read more" link lists, comment counters, copyright lines.

Every removal is recorded on the article (``Article.removed``) with its reason, as
:mod:`synoptic.clean` does for line-level boilerplate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from synoptic.errors import InputError
from synoptic.ingest import metadata
from synoptic.ingest.sniff import declared_charset, decode
from synoptic.nlp.text import word_key
from synoptic.records import Article, DateKind, Outlet, Provenance, Removal, article_id

_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}

# --------------------------------------------------------------------------- end matter
# Each pattern describes a *kind* of trailing block found on news sites in general.
_END_MATTER = re.compile(
    r"""^(?:
        (?:\d+\s+)?comments?\b.{0,20}$                                   # "Comments", "12 comments"
      | (?:view|show|load|read|see|post)\s+(?:all\s+|more\s+)?comments?\b
      | tell\s+us\s+what\s+you\s+think
      | (?:you\s+(?:may|might)\s+also\s+(?:like|enjoy)
          |related(?:\s+(?:articles?|stories|posts?|content|coverage))?
          |more\s+(?:from|on|stories|news)\b|recommended(?:\s+for\s+you)?|read\s+(?:more|also|next)
          |see\s+(?:also|more)(?:\s+\w+){0,2}|also\s+(?:read|see)|leggi\s+anche|lesen\s+sie\s+auch|lire\s+aussi
          |leia\s+também|more)\s*:?\s*(?:\.{3}|…)?$
      | (?:tags?|topics?|filed\s+under|categories|keywords)\b\s*:?.{0,300}$
      | .{0,80}\bfor\s+(?:your\s+)?personal,?\s+non-?commercial\s+use
      | (?:order\s+reprints|print\s+(?:this\s+)?article|this\s+article\s+has\s+been\s+sent\s+to)\b
      | have\s+a\s+(?:news\s+)?tip\b
      | listen\s+(?:to|back|live|now)\b.{0,120}$
      | \[/?[a-z_]+(?:\s[^\]]*)?\]
      | (?:sign\s+up|subscribe|register)\b.{0,160}\b(?:newsletter|inbox|e-?mail|updates|digest)
      | get\s+(?:the|our)\b.{0,80}\b(?:newsletter|inbox|delivered)
      | .{0,60}\bnewsletters?\s*$
      | (?:follow|like)\b.{0,80}\bon\s+(?:twitter|facebook|instagram|linkedin|youtube|tiktok)
      | follow\b.{0,100}\b(?:at|on)\s+(?:https?://|www\.)
      | like\s+this\s+(?:story|article)\?
      | share\s+(?:this|it|on)\b
      | (?:©|\(c\)|copyright\b).{0,200}$
      | all\s+rights\s+reserved
      | .{0,200}\b(?:click|tap)\s+here\b
      | if\s+you\s+(?:enjoyed|liked)\s+this\s+(?:article|story)
      | (?:listen|download|itunes|spotify)\s*:\s*\S+
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_INLINE_LINK = re.compile(
    r"^\W{0,2}(?:read\s+more|related(?:\s+(?:articles?|stories|posts?|content|coverage))?|see\s+also|also\s+read"
    r"|read\s+(?:also|next)|more)\s*(?::\s*\S|:?\s*$)",
    re.IGNORECASE,
)
"""A link to another article set inside the body: ``Read more: <headline>``, ``[Related: ...]``,
or the bare label (``More:``) whose links trafilatura already dropped."""
MAX_INLINE_LINK_WORDS = 25
MAX_KICKER_WORDS = 4
"""A label above a repeated title ("Review", "Photos", a section name) is at most this long."""
MIN_PAGE_WORDS = 10
"""Fewer words of main text than this is a stub, not an article (an error page, a paywall
teaser, a bare "hi"): refused with E007 rather than made a story of its own."""
_LINK_LIST_ITEM = re.compile(r"^[-–•*]\s+\S")
_BARE_CONTACT = re.compile(r"^(?:\S+@\S+\.\w+|(?:https?://|www\.|twitter\.com/|@)\S+)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\W_]{3,}$")
_CONTACT = re.compile(
    r"^(?=.*(?:\S+@\S+\.\w|(?<!\w)@\w|twitter\.com/))(?=.*\b(?:follow|e-?mail|reach|contact|write|tweet)\w*\b)",
    re.IGNORECASE,
)
"""A short paragraph that gives an e-mail address or a handle and asks to write or follow."""

RECALL_FALLBACK_RATIO = 0.5
"""Take trafilatura's balanced extraction when the precision one is less than this share of
its length. Tuned on the extract dev benchmark (0.3-0.6 give the same pages; 0.7 and up start
swapping in pages where balanced mode adds boilerplate)."""

MIN_FALLBACK_WORDS = 30
"""When precision mode finds nothing, balanced mode's text must be at least this long to count
(otherwise it is a menu or an error page's leftovers)."""

MIN_ANCHOR_WORDS = 8
"""Extracted paragraphs this long are used to find the body's container in the page."""

MIN_PROSE_WORDS = 10
MIN_PART_PARAGRAPHS = 2

MAX_END_MATTER_WORDS = 60
MAX_CONTACT_WORDS = 40
"""A trailing paragraph longer than this is article text whatever it looks like."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What trafilatura found, before it becomes an :class:`Article`."""

    paragraphs: list[str]
    headings: frozenset[str]
    title: str | None
    authors: tuple[str, ...]
    date: str | None
    date_kind: DateKind
    """``updated`` when the page gives only a modification date and that is the date found."""
    sitename: str | None
    url: str | None


def extract(html: str, *, url: str | None = None) -> Extracted | None:
    """Run trafilatura on a page; ``None`` when it finds no main text.

    Precision mode first (metadata included); then the balanced mode, whose body is taken
    instead when precision mode kept less than :data:`RECALL_FALLBACK_RATIO` of it (precision
    mode then cut the article, e.g. stopped at a paywall notice or an inline widget). Last,
    :func:`continuation_paragraphs` adds the parts of a body that ad rows cut into pieces.
    """
    import trafilatura

    common: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "include_tables": True,
        "deduplicate": False,
    }
    doc = trafilatura.bare_extraction(
        html, favor_precision=True, with_metadata=True, date_extraction_params=_DATE_PARAMS, **common
    )
    balanced = trafilatura.bare_extraction(html, with_metadata=False, **common)
    if isinstance(doc, dict) or isinstance(balanced, dict):  # only with as_dict=True
        return None
    body = doc
    precise_len = len((doc.text if doc is not None else "") or "")
    balanced_text = (balanced.text if balanced is not None else "") or ""
    if len(balanced_text) * RECALL_FALLBACK_RATIO > precise_len and (
        precise_len or len(balanced_text.split()) >= MIN_FALLBACK_WORDS
    ):
        body = balanced
    if body is None:
        return None
    text = body.text or ""
    if not text.strip():
        return None
    headings: set[str] = set()
    if body.body is not None:
        for element in body.body.iter("head"):
            heading = " ".join("".join(element.itertext()).split())
            if heading:
                headings.add(heading)
    paras = [p for p in (" ".join(line.split()) for line in text.split("\n")) if p]
    tree = parse(html)
    before, after = continuation_paragraphs(tree, paras)
    paras = before + paras + after
    meta = doc if doc is not None else body
    date, kind = best_date(tree, meta.date or None)
    authors = tuple(a.strip() for a in (meta.author or "").split(";") if a.strip())
    return Extracted(
        paragraphs=paras,
        headings=frozenset(headings),
        title=" ".join(meta.title.split()) if meta.title else None,
        authors=authors,
        date=date,
        date_kind=kind,
        sitename=meta.sitename or None,
        url=meta.url or None,
    )


_COMMENTS = re.compile(r"comment|reply|replies|disqus|respond|discussion", re.IGNORECASE)
_NOT_BODY = frozenset(
    {"aside", "figure", "figcaption", "nav", "footer", "form", "header", "noscript", "script"}
)


def parse(html: str) -> Any:
    """The lxml tree of a page, or ``None`` when lxml cannot make one."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def continuation_paragraphs(tree: Any, paragraphs: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(before, after)``: paragraphs of the article body that sit in other copies of its
    container (same tag and class), as on pages whose body is cut into parts by ad rows.

    trafilatura keeps one container; the other parts are found here by structure: the element
    that holds the extracted paragraphs has a class, and the page repeats that element.
    """
    if tree is None:
        return [], []
    known = {_norm(p) for p in paragraphs if len(p.split()) >= MIN_ANCHOR_WORDS}
    anchors = [e for e in tree.iter("p") if _norm(e.text_content()) in known]
    if not anchors:
        return [], []
    container = anchors[0].getparent()
    while container is not None and not (container.get("class") or "").strip():
        container = container.getparent()
    if container is None or container.tag in ("body", "html"):
        return [], []
    parts = tree.xpath(f"//{container.tag}[@class=$cls]", cls=container.get("class"))
    if len(parts) < 2:
        return [], []
    seen = {_norm(p) for p in paragraphs}
    before: list[str] = []
    after: list[str] = []
    target = before
    for part in parts:
        if any(anchor in part.iter("p") for anchor in anchors):
            target = after
            continue
        if any(
            _COMMENTS.search(f"{e.get('id', '')} {e.get('class', '')}") for e in [part, *part.iterancestors()]
        ):
            continue
        found: list[str] = []
        for para in part.iter("p"):
            if any(
                a.tag in _NOT_BODY
                for a in para.iterancestors()
                if a is not part and part in a.iterancestors()
            ):
                continue
            text = " ".join(para.text_content().split())
            if _is_prose(text) and _norm(text) not in seen:
                seen.add(_norm(text))
                found.append(text)
        if len(found) >= MIN_PART_PARAGRAPHS:  # one stray sentence is a footer or a promo, not a part
            target.extend(found)
    return before, after


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _is_prose(text: str) -> bool:
    """A paragraph of running text: several words, ending like a sentence."""
    return len(text.split()) >= MIN_PROSE_WORDS and bool(_SENTENCE_END.search(text))


def _boxed(element: Any, container: Any) -> bool:
    """Whether ``element`` sits in an aside, figure, embed quote... below ``container``."""
    node = element.getparent()
    while node is not None and node is not container:
        if node.tag in _NOT_BODY:
            return True
        node = node.getparent()
    return False


_PUBLISHED_KEYS = frozenset(
    "article:published_time og:published_time datepublished pubdate publishdate publish-date date "
    "dc.date.issued dcterms.issued sailthru.date parsely-pub-date article.published "
    "citation_publication_date".split()
)
_MODIFIED_KEYS = frozenset(
    "article:modified_time og:updated_time datemodified last-modified dcterms.modified "
    "article.updated".split()
)
_JSONLD_DATE = re.compile(r'"(datePublished|dateModified)"\s*:\s*"([^"]{8,40})"')


def page_dates(tree: Any) -> tuple[list[str], list[str]]:
    """``(published, modified)``: date strings the page states in ``<meta>``, ``<time>`` and JSON-LD."""
    published: list[str] = []
    modified: list[str] = []
    if tree is None:
        return published, modified
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if value and key in _PUBLISHED_KEYS:
            published.append(value)
        elif value and key in _MODIFIED_KEYS:
            modified.append(value)
    for node in tree.iter("time"):
        if (node.get("itemprop") or "").lower() == "datepublished" and node.get("datetime"):
            published.append(node.get("datetime"))
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for kind, value in _JSONLD_DATE.findall(script.text or ""):
            (published if kind == "datePublished" else modified).append(value)
    return published, modified


def best_date(tree: Any, found: str | None) -> tuple[str | None, DateKind]:
    """The page's date and its kind, refining what trafilatura (htmldate) found.

    - When the page states a publication date with a time on the same day as ``found`` (which
      is often a bare day), that fuller value is used.
    - When the page states only a modification date and ``found`` is that day, the date is
      marked ``updated``.
    """
    if not found:
        return found, "published"
    published, modified = page_dates(tree)
    day = found[:10]
    for value in published:
        parsed = metadata.parse_datetime(value)
        if parsed is not None and not parsed[1] and parsed[0].date().isoformat() == day:
            return parsed[0].isoformat(), "published"
    if published or not modified:
        return found, "published"
    for value in modified:
        parsed = metadata.parse_datetime(value)
        if parsed is not None and parsed[0].date().isoformat() == day:
            return (found if parsed[1] else parsed[0].isoformat()), "updated"
    return found, "published"


def _norm(text: str) -> str:
    return word_key(text)


def _is_end_matter(paragraph: str) -> bool:
    if len(paragraph.split()) > MAX_END_MATTER_WORDS:
        return False
    return bool(_END_MATTER.match(paragraph) or _BARE_CONTACT.match(paragraph) or _SEPARATOR.match(paragraph))


def tidy(
    paragraphs: Sequence[str], *, title: str | None, headings: frozenset[str] = frozenset()
) -> tuple[list[str], list[Removal]]:
    """Drop the repeated title, heading-only labels and trailing end matter (see module doc)."""
    removals: list[Removal] = []
    keep = [True] * len(paragraphs)
    title_norm = _norm(title) if title else ""

    # 1. the title repeated near the top, and short labels (kickers) above it
    for i, para in enumerate(paragraphs[:3]):
        if title_norm and _norm(para) and (_norm(para) == title_norm or title_norm.startswith(_norm(para))):
            keep[i] = False
            removals.append(Removal(para, "html: repeats the title", i))
            for j in range(i):
                if keep[j] and len(paragraphs[j].split()) <= MAX_KICKER_WORDS:
                    keep[j] = False
                    removals.append(Removal(paragraphs[j], "html: label above the title", j))

    # 1b. headings before the first paragraph of prose: the page's headline (when it is worded
    #     differently from the metadata title), its kicker and its standfirst
    for i, para in enumerate(paragraphs):
        if para not in headings:
            break
        if keep[i]:
            keep[i] = False
            removals.append(Removal(para, "html: headline above the body", i))

    # 2. links to other articles inside the body
    for i, para in enumerate(paragraphs):
        if keep[i] and _INLINE_LINK.match(para) and len(para.split()) <= MAX_INLINE_LINK_WORDS:
            keep[i] = False
            removals.append(Removal(para, "html: link to another article", i))

    # 3. trailing end matter: walk back from the end while paragraphs look like it; link lists
    #    ("- Headline of another story") count only when an end-matter label sits above them.
    end = len(paragraphs)
    i = end - 1
    pending_list: list[int] = []
    while i >= 0:
        para = paragraphs[i]
        if not keep[i]:
            i -= 1
            continue
        if _LINK_LIST_ITEM.match(para) and len(para.split()) <= 20:
            pending_list.append(i)
            i -= 1
            continue
        if _is_end_matter(para):
            for j in [*pending_list, i]:
                keep[j] = False
                removals.append(Removal(paragraphs[j], "html: end matter (promo, links, comments)", j))
            pending_list = []
            i -= 1
            continue
        break

    # 4. headings: a heading is kept when it introduces text (prose follows), dropped when
    #    nothing but other headings or the end follows it.
    last_kept = max((k for k, flag in enumerate(keep) if flag), default=-1)
    for k, para in enumerate(paragraphs):
        if keep[k] and para in headings and k == last_kept:
            keep[k] = False
            removals.append(Removal(para, "html: heading with no text after it", k))

    kept = [p for p, flag in zip(paragraphs, keep, strict=True) if flag]
    removals.sort(key=lambda r: r.line or 0)
    return kept, removals


def read(
    source: str,
    data: bytes,
    *,
    url: str | None = None,
    charset: str | None = None,
    fallback_date: str | None = None,
    input_format: str = "html",
    partial: bool = False,
) -> Article:
    """One HTML page to an :class:`Article`. Raises :class:`InputError` (E004, E007, E013).

    ``url``: where the page was fetched (used unless the page names a canonical URL);
    ``charset``: from the HTTP headers; ``fallback_date``: e.g. the crawl time of a WARC
    record, used (as an ``inferred`` date) when the page has no date; ``partial``: the bytes
    may stop mid-character (a truncated download).
    """
    decoded = decode(data, source, declared=charset or declared_charset(data), partial=partial)
    try:
        found = extract(decoded.text, url=url)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:  # lxml/trafilatura give up
        raise InputError("E013", f"{type(exc).__name__}: {str(exc)[:80]}", subject=source) from exc
    if found is None:
        raise InputError("E007", "no main text in the page", subject=source)
    paras, removals = tidy(found.paragraphs, title=found.title, headings=found.headings)
    if not paras:
        raise InputError("E007", "only boilerplate in the page", subject=source)
    words = sum(len(p.split()) for p in paras)
    if words < MIN_PAGE_WORDS:
        plural = "" if words == 1 else "s"
        raise InputError(
            "E007", f"{words} word{plural} of main text, too few for an article page", subject=source
        )
    return build_article(
        source,
        paras,
        removals=removals,
        title=found.title,
        authors=found.authors,
        url=metadata.normalise_url(found.url) or url,
        date=found.date or fallback_date,
        # a crawl time only bounds the publication date from above: inferred, not read
        date_kind=found.date_kind if found.date else "inferred",
        date_origin="metadata" if found.date else "inferred",
        sitename=found.sitename,
        input_format=input_format,
        warnings=(note,) if (note := decoded.note()) else (),
    )


def build_article(
    source: str,
    paragraphs: Sequence[str],
    *,
    title: str | None,
    origin: Provenance = "metadata",
    removals: Sequence[Removal] = (),
    authors: Sequence[str] = (),
    url: str | None = None,
    date: object = None,
    date_kind: DateKind = "published",
    date_origin: Provenance | None = None,
    outlet: str | None = None,
    sitename: str | None = None,
    site_domain: str | None = None,
    language: str | None = None,
    input_format: str = "html",
    warnings: Sequence[str] = (),
) -> Article:
    """Assemble an :class:`Article` from extracted parts, noting where each value came from.

    ``origin`` is where title, authors, URL, date and an explicit outlet came from (``metadata``
    of a page or feed, or ``input`` fields of a JSONL record). The outlet recorded here is the
    evidence as found: the name given explicitly, else the page's or feed's site name, else
    only the domain of a site known without an article URL (``site_domain``, e.g. a feed's
    link); :mod:`synoptic.outlets` decides the outlet from it after cleaning.
    """
    text = "\n\n".join(paragraphs)
    notes = list(warnings)
    provenance: dict[str, Provenance] = {}
    url = metadata.normalise_url(url)
    for name, value in (("title", title), ("authors", authors), ("url", url), ("language", language)):
        if value:
            provenance[name] = origin
    found: Outlet | None = None
    if outlet and outlet.strip():
        found = Outlet(name=outlet.strip(), origin="input" if origin == "input" else "metadata")
    elif sitename and sitename.strip():
        found = Outlet(name=sitename.strip(), domain=site_domain, origin="metadata")
    elif site_domain:
        found = Outlet(name=site_domain, domain=site_domain, origin="url")
    date_origin = date_origin or origin
    published, warning = metadata.published_date(date, origin=date_origin, kind=date_kind)
    if warning:
        notes.append(warning)
    if published is not None:
        provenance["published"] = date_origin
    return Article(
        id=article_id((title or "") + "\n" + text),
        source=source,
        text=text,
        title=title,
        outlet=found,
        url=url,
        authors=tuple(authors),
        published=published,
        language=language,
        input_format=input_format,
        removed=tuple(removals),
        provenance=provenance,
        warnings=tuple(notes),
    )


# --------------------------------------------------------------------------- fragments

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table pre section article header footer "
    "figure figcaption dd dt hr".split()
)


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML text may not hold (C0 controls but tab and newlines, non-characters, lone
surrogates): a feed entry's HTML with them is read without them."""


def fragment_paragraphs(html: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed entry's content): block elements break text.

    Unlike :func:`extract`, nothing is judged boilerplate: a feed entry is the article.
    """
    from lxml import etree
    from lxml import html as lxml_html

    html = _NOT_XML_TEXT.sub("", html)  # lxml refuses control characters in text nodes
    if "<" not in html:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", html) if p.strip()]
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return [" ".join(html.split())] if html.strip() else []
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    chunks: list[str] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _BLOCK_TAGS:
            node.tail = "\n\n" + (node.tail or "")
            if node.text is not None or len(node):
                node.text = "\n\n" + (node.text or "")
    chunks = root.text_content().split("\n\n")
    return [" ".join(c.split()) for c in chunks if c.strip()]
