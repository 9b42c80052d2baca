"""Wordings: how each outlet phrased the same thing, as short phrases to show side by side.

Two kinds of phrase are taken from a claim's citations:

- quoted terms with the noun they qualify (``“no limits” partnership``, ``“borderless”
  friendship``): the words an outlet chose, or put in scare quotes, for the same thing;
- the surface forms of one normalised quantity (``three-day``, ``three days``, ``from Monday to
  Wednesday``) when outlets state it differently.

A heading that is a quoted term (``“infinite” relationship``) is not a sentence of the story, but
it is a wording: it joins the claim of its own article whose quoted term it is closest to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from synoptic.config import CrosscheckSettings
from synoptic.crosscheck.agreement import Sources
from synoptic.crosscheck.units import Unit, normalise_term, quoted_terms
from synoptic.nlp.embeddings import Embedder
from synoptic.records import Article, Citation, Claim, Wording

_INNER = re.compile(r"[“\"‘](?P<inner>[^“”\"‘’\n]+?)[”\"’]")


def claim_wordings(
    units: Sequence[Unit], articles: Mapping[str, Article], sources: Sources, settings: CrosscheckSettings
) -> tuple[Wording, ...]:
    """Wordings of one claim: one record per phrase, empty unless two or more sources support it."""
    if len(sources.outlets(u.article for u in units)) < 2:
        return ()
    out: dict[Citation, Wording] = {}
    terms: dict[Citation, Wording] = {}
    for u in units:
        outlet = articles[u.article].outlet_name
        for span, phrase, _term in quoted_terms(u.text, u.span[0], settings.max_term_words):
            terms.setdefault(Citation(u.article, span), Wording(outlet, phrase, Citation(u.article, span)))
    # a quoted term is a wording of the claim only when another source quotes one too
    if len({sources.source(c.article) for c in terms}) >= 2:
        out.update(terms)
    # one quantity stated in different words by different sources
    surfaces: dict[tuple[str, str], dict[str, set[tuple[str, Citation]]]] = {}
    for u in units:
        art = articles[u.article]
        for s in u.slots:
            if s.kind == "quantity":
                text = art.text[s.span[0] : s.span[1]]
                surfaces.setdefault((s.key, s.value), {}).setdefault(sources.source(u.article), set()).add(
                    (text, Citation(u.article, s.span))
                )
    for per_source in surfaces.values():
        forms = {normalise_term(t) for items in per_source.values() for t, _ in items}
        if len(per_source) >= 2 and len(forms) >= 2:
            for items in per_source.values():
                for text, cite in items:
                    out.setdefault(cite, Wording(articles[cite.article].outlet_name, text, cite))
    return tuple(sorted(out.values(), key=lambda w: (w.outlet, w.citation.article, w.citation.span)))


def attach_headings(
    claims: Sequence[Claim], articles: Sequence[Article], embedder: Embedder, settings: CrosscheckSettings
) -> tuple[Claim, ...]:
    """Claims with the quoted-term headings of their articles added to their wordings."""
    import dataclasses

    candidates: list[tuple[Article, tuple[int, int], str, str]] = []  # article, span, phrase, term
    for art in sorted(articles, key=lambda a: a.id):
        for hs, he in art.headings:
            for span, phrase, term in quoted_terms(art.text[hs:he], hs, settings.max_term_words):
                candidates.append((art, span, phrase, term))
    if not candidates:
        return tuple(claims)
    terms: list[tuple[int, str]] = []  # (claim index, inner term)
    for k, claim in enumerate(claims):
        for w in claim.wordings:
            m = _INNER.search(w.text)
            if m:
                terms.append((k, normalise_term(m.group("inner"))))
    if not terms:
        return tuple(claims)
    vec_terms = embedder.encode([t for _, t in terms])
    vec_heads = embedder.encode([c[3] for c in candidates])
    sims = vec_heads @ vec_terms.T
    extra: dict[int, list[Wording]] = {}
    for h, (art, span, phrase, _term) in enumerate(candidates):
        order = np.argsort(-sims[h], kind="stable")
        for t in order:
            k = terms[int(t)][0]
            if float(sims[h, t]) < settings.heading_term_similarity:
                break
            if art.id in claims[k].sources:
                extra.setdefault(k, []).append(Wording(art.outlet_name, phrase, Citation(art.id, span)))
                break
    out = list(claims)
    for k, words in extra.items():
        merged = sorted(
            {w.citation: w for w in (*out[k].wordings, *words)}.values(),
            key=lambda w: (w.outlet, w.citation.article, w.citation.span),
        )
        out[k] = dataclasses.replace(out[k], wordings=tuple(merged))
    return tuple(out)
