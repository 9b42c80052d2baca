"""People, organisations and places of a story: mentions from spaCy, merged into canonical entities.

Stage order:

1. :func:`parse_articles`: every paragraph of every article through spaCy's English pipeline in one
   batched ``nlp.pipe`` call; the result (:class:`ParsedArticle`, one per article) is what quote
   attribution reuses, so each article is parsed once.
2. Mentions: PERSON, ORG, GPE/LOC/FAC entities. Titles and honorifics ("Mr", "President", "Chinese",
   "foreign ministry spokesperson") are stripped to a core name; the title-bearing surface form
   ("Chinese President Xi Jinping") is kept as an alias. Cheap fixes of model errors: a capitalised
   surname right after a closing quote and before "said" is a person; a two- or three-word ORG that is
   the subject of a speech verb and has no organisation word in it is a person; a one-word ORG or
   PERSON that is the name part of a known person is that person; one that its sentence places
   ("the city of Mariupol", "arrived in Kyiv") is a place in every mention of the story; a place
   tagged on an adjective ("four Ukrainian regions") and a plural PERSON ("Uighur Muslims") are
   left out.
3. Merging, per kind: full person names by their first and last token; one-word names to the full
   name that contains them (ambiguous ones, "Wang" with Wang Yi and Wang Wenbin, to the full name
   mentioned most recently before them); organisations by case-folded name and by acronym
   ("ICC" = "International Criminal Court", "Nato" = "NATO"); places by case-folded name and by
   initials ("US" = "U.S." = "the United States").
4. Reporters are not actors: names in ``article.authors``, in credit lines ("CNN's Anna Chernova
   contributed") and in reporter bylines inside the text ("Asia Correspondent Debi Edward reports")
   are dropped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from synoptic.config import EntitySettings
from synoptic.nlp.models import spacy_pipeline
from synoptic.records import Article, Entity, EntityKind, Mention, Span

KINDS: Mapping[str, EntityKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}

TITLES = frozenset(
    """mr mrs ms miss mx dr prof sir dame lord lady president vice prime minister secretary general
    secretary-general chancellor premier king queen prince princess sheikh emir pope senator sen rep
    representative gov governor mayor judge justice chief leader spokesman spokeswoman spokesperson
    ambassador envoy commissioner director chairman chairwoman chair ceo deputy foreign defence defense
    interior finance state former late new top diplomat official adviser advisor correspondent reporter
    editor minister's gen col lt sgt capt cmdr adm maj rev hon pres supt colonel captain lieutenant
    sergeant admiral major officer commander ministry the a an his her their its""".split()
)
"""Words dropped from the front of a name ("Chinese foreign ministry spokesperson Wang Wenbin")."""

ORG_WORDS = frozenset(
    """ministry department council court committee commission party agency bank university institute
    office news times post press service services company corp inc ltd group union association
    organisation organization fund foundation army navy force forces police parliament congress senate
    assembly government administration board bureau authority network media tv radio channel club
    league federation alliance house center centre school college hospital church""".split()
)
"""Words that make a multi-word ORG mention an organisation even when it is the subject of "said"."""

SPEECH_LEMMAS = frozenset(
    "say tell add state claim warn note insist argue write tweet announce explain report accuse urge".split()
)

REPORTER_TITLES = r"(?:[Cc]orrespondent|[Rr]eporter|[Ee]ditor|[Jj]ournalist|[Cc]olumnist|[Pp]roducer)"
_NAME = r"([A-Z][\w'’-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w'’-]+){1,3})"
_TEXT_REPORTER_PATTERNS = (
    re.compile(REPORTER_TITLES + r"\s+" + _NAME),
    re.compile(_NAME + r"\s+(?:also\s+)?contributed\s+(?:reporting|to\s+this\s+(?:report|story|article))"),
    re.compile(r"(?:[Rr]eporting|[Ww]ritten|[Ee]diting|[Aa]dditional reporting)\s+by\s+" + _NAME),
    re.compile(_NAME + r"\s+reports\s*$", re.M),
)
"""Reporter credits inside the body ("Asia Correspondent Debi Edward reports")."""
_CREDIT_REPORTER_PATTERNS = (
    *_TEXT_REPORTER_PATTERNS,
    re.compile(_NAME + r"\s+(?:contributed|reported)\b"),
    re.compile(r"\b[Bb]y\s+" + _NAME),
)
"""Credit lines, bylines and removed boilerplate may also say just "By Jane Roe" or "Jane Roe
contributed"; in the body those words name actors ("founded by Bill Gates")."""
_QUOTE_THEN_NAME = re.compile(
    r"[”\"’'],?\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?([A-Z][a-z][\w'-]+)\s+"
    r"(?:said|says|added|told|asked|wrote|tweeted|insisted|warned|argued|continued|explained|noted)\b"
)
_APOSTROPHE_S = re.compile(r"[’']s?$")
_CONNECT = frozenset({"of", "the", "and", "for", "on", "in", "&"})


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article with the spaCy Doc of each of its paragraphs (``(offset, doc)``, offsets into
    ``article.text``). Built by :func:`parse_articles`; read by entities and quotes."""

    article: Article
    paragraphs: tuple[tuple[int, Any], ...]
    texts: tuple[str, ...]
    """Each paragraph's text (``doc.text`` would rebuild it from the tokens at every call)."""


def parse_articles(
    articles: Sequence[Article], settings: EntitySettings | None = None
) -> dict[str, ParsedArticle]:
    """spaCy parse of every article, paragraph by paragraph, in one batched pipe (keyed by article id).

    A paragraph text is parsed once however many articles hold it (a wire story's copies repeat
    most of theirs): its articles share that Doc, which nothing downstream changes."""
    settings = settings or EntitySettings()
    nlp = spacy_pipeline()
    index: dict[str, int] = {}
    places: list[tuple[str, int, str]] = []  # (article id, paragraph start, its text)
    for article in articles:
        for start, end in article.paragraph_spans():
            text = article.text[start:end]
            index.setdefault(text, len(index))
            places.append((article.id, start, text))
    docs = list(nlp.pipe(index, batch_size=settings.batch_size))
    per_article: dict[str, list[tuple[int, Any, str]]] = defaultdict(list)
    for aid, start, text in places:
        per_article[aid].append((start, docs[index[text]], text))
    parsed: dict[str, ParsedArticle] = {}
    for a in articles:
        found = per_article.get(a.id, [])
        parsed[a.id] = ParsedArticle(a, tuple((o, d) for o, d, _ in found), tuple(t for _, _, t in found))
    return parsed


# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class _Raw:
    """A mention while merging (internal, mutable only inside :func:`resolve_entities`)."""

    article: str
    span: Span
    text: str
    label: str
    kind: EntityKind
    core: tuple[str, ...]
    alias: str
    order: int
    subject: bool = False
    group: int = -1
    extras: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive key of a name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").casefold()


def _strip_possessive(word: str) -> str:
    return (
        _APOSTROPHE_S.sub("", word)
        if (len(word) > 2 and word[-2:] in ("'s", "’s")) or word[-1:] in "'’"
        else word
    )


def core_name(words: Sequence[str], *, keep_titles: bool = False) -> tuple[str, ...]:
    """The name part of a mention: leading titles/articles and a trailing possessive dropped."""
    out = [w for w in words if w.strip() and w not in ("'s", "’s", "'", "’")]
    if out:
        out[-1] = _strip_possessive(out[-1])
    if not keep_titles:
        while out and (
            (fold(out[0]) in TITLES and not _new_begins_the_name(out))
            or fold(out[0]) in ("of", "for")
            or not out[0][:1].isalnum()
        ):
            out.pop(0)
    while out and not out[-1][:1].isalnum():
        out.pop()
    return tuple(out)


def _new_begins_the_name(words: Sequence[str]) -> bool:
    """A capitalised "New" that is part of the name rather than a word about its holder: "New
    Zealand", "New York Times" ("New Prime Minister Chris Hipkins": a title follows)."""
    return words[0] == "New" and len(words) > 1 and words[1][:1].isupper() and fold(words[1]) not in TITLES


def _title_prefix(doc: Any, start: int, sent_start: int, end: int) -> int:
    """Start of the title words right before an entity ("NATO Secretary-General" Jens Stoltenberg,
    "Secretary of State" Antony Blinken): the contiguous words left of it that hang on it."""
    i = start - 1
    while i >= sent_start:
        tok = doc[i]
        if tok.text in {",", ";", ":", "(", ")", '"', "“", "”", "—", "–"} or tok.dep_ in ("det", "cc"):
            break
        if tok.pos_ in ("VERB", "AUX", "PRON", "NUM", "SCONJ") or (tok.pos_ == "ADP" and tok.lower_ != "of"):
            break
        i -= 1
    first = i + 1

    def hangs_on_entity(tok: Any) -> bool:
        for _ in range(8):
            if start <= tok.i < end:
                return True
            if tok.head is tok:
                return False
            tok = tok.head
        return False

    while first < start and (
        not hangs_on_entity(doc[first])
        or doc[first].is_punct
        or doc[first].dep_ == "case"
        or doc[first].lower_ == "of"
    ):
        first += 1
    return first


def _apposition_alias(doc: Any, ent: Any) -> str | None:
    """ "China’s new foreign minister, Qin Gang": the noun phrase a name stands in apposition to."""
    root = ent.root
    head = root.head
    if root.dep_ != "appos" or head.i >= ent.start or head.pos_ != "NOUN":
        return None
    left = head.left_edge.i
    if ent.end - left > 10 or any(t.pos_ in ("VERB", "AUX") for t in doc[left : ent.start]):
        return None
    return str(doc[left : ent.end].text)


def _is_subject(doc: Any, start: int, end: int) -> bool:
    for tok in doc[start:end]:
        if tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "appos" and tok.head.dep_ == "nsubj"):
            return True
    return False


def _speech_subject(doc: Any, start: int, end: int) -> bool:
    for tok in doc[start:end]:
        head = tok.head
        if tok.dep_ == "appos":
            head = head.head
        if tok.dep_ in ("nsubj",) and head.lemma_ in SPEECH_LEMMAS:
            return True
        if tok.dep_ == "pobj" and head.dep_ == "agent" and head.head.lemma_ in SPEECH_LEMMAS:
            return True
    return False


def doc_mentions(parsed: ParsedArticle) -> list[_Raw]:
    """Entity mentions of one parsed article, titles stripped, model errors fixed by rule."""
    raws: list[_Raw] = []
    aid = parsed.article.id
    order = 0
    for (offset, doc), paragraph in zip(parsed.paragraphs, parsed.texts, strict=True):
        covered: set[int] = set()
        for ent in doc.ents:
            kind = KINDS.get(ent.label_)
            if kind is None:
                continue
            words = [t.text for t in ent]
            core = core_name(words)
            if not core or not any(w[:1].isupper() for w in core):
                continue
            label = ent.label_
            if kind == "place" and len(ent) == 1 and ent.root.dep_ == "amod":
                continue  # "the Ukrainian conflict": a word of nationality, not a place named
            if kind == "person" and ent[-1].tag_ == "NNPS":
                continue  # "atrocities against Uighur Muslims": a group of people, not a person
            pre = _title_prefix(doc, ent.start, ent.sent.start, ent.end)
            orgish = any(fold(t.text) in ORG_WORDS for t in doc[pre : ent.end])
            if (
                kind == "organisation"
                and 2 <= len(core) <= 3
                and _speech_subject(doc, ent.start, ent.end)
                and not orgish
                and all(w[:1].isupper() for w in core)
            ):
                kind, label = "person", "PERSON:speech-subject"
            if (
                kind == "person"
                and len(core) == 1
                and ent.root.dep_ == "pobj"
                and ent.root.head.lower_ == "on"
            ):
                continue  # "posted on Twitter": a platform, not a person
            if kind != "place" and len(core) == 1 and _named_as_place(ent):
                kind, label = "place", PLACED
            alias_tokens = doc[pre : ent.end]
            alias = alias_tokens.text
            if alias_tokens and alias_tokens[-1].text in ("'s", "’s"):
                alias = doc[pre : ent.end - 1].text
            alias = re.sub(r"[’']s$", "", alias) if alias.endswith(("'s", "’s")) else alias
            start = offset + ent.start_char
            raws.append(
                _Raw(
                    aid,
                    (start, start + len(ent.text)),
                    ent.text,
                    label,
                    kind,
                    core,
                    alias,
                    order,
                    subject=_is_subject(doc, ent.start, ent.end),
                )
            )
            raws[-1].extras.append("orgish" if orgish else "")
            appos = _apposition_alias(doc, ent) if kind == "person" else None
            if appos:
                raws[-1].extras.append("alias:" + appos)
            covered.update(range(ent.start_char, ent.end_char))
            order += 1
        for m in _QUOTE_THEN_NAME.finditer(paragraph):
            s, e = m.span(1)
            if s in covered:
                for r in raws:
                    if r.article == aid and r.span[0] <= offset + s < r.span[1] and len(r.core) == 1:
                        r.kind, r.label = "person", "PERSON:quote-said"
                continue
            start = offset + s
            raws.append(
                _Raw(
                    aid,
                    (start, start + e - s),
                    m.group(1),
                    "PERSON:quote-said",
                    "person",
                    (m.group(1),),
                    m.group(1),
                    order,
                    subject=True,
                )
            )
            order += 1
    raws.sort(key=lambda r: r.span)
    for i, r in enumerate(raws):
        r.order = i
    return raws


PLACED = "GPE:context"
"""The label of a one-word name the model took for a person or organisation that its sentence
places somewhere ("arrived in Kyiv", "the city of Mariupol")."""
_PLACE_NOUNS = frozenset("city town village capital region province port district".split())
_ARRIVALS = frozenset("arrive visit travel trip fly land journey".split())


def _named_as_place(ent: Any) -> bool:
    """Whether the sentence uses the name ``ent`` (one token) as a place: "the city of X", or after
    "in"/"to"/"into" that a visit or an arrival governs ("arrived in X", "visits to X")."""
    root = ent.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _PLACE_NOUNS:
        return True
    # not "joined to a place": "statements from both Beijing and the Kremlin" name governments
    arrival = head.head.lemma_.lower() in _ARRIVALS
    return root.dep_ == "pobj" and head.lower_ in ("in", "to", "into") and arrival


def _placed_everywhere(raws: list[_Raw]) -> None:
    """A one-word name placed somewhere in the story (:data:`PLACED`) is that place in every
    mention the model took for a person or organisation ("visited Mariupol" as well as "the city
    of Mariupol"): within a story, one word names one thing."""
    placed = {fold(r.core[0]) for r in raws if r.label == PLACED}
    for r in raws:
        taken = r.kind != "place" and r.label in ("ORG", "PERSON")
        if taken and len(r.core) == 1 and fold(r.core[0]) in placed:
            r.kind, r.label = "place", PLACED


# --------------------------------------------------------------------------- reporters


def reporter_names(article: Article) -> set[str]:
    """Folded names of the article's reporters: authors, credit lines, bylines in the text."""
    names = {fold(a) for a in article.authors if a.strip()}
    sources: list[tuple[str, tuple[re.Pattern[str], ...]]] = [
        (c, _CREDIT_REPORTER_PATTERNS) for c in (*article.credits, *(r.text for r in article.removed))
    ]
    sources.append((article.text, _TEXT_REPORTER_PATTERNS))
    for text, patterns in sources:
        for pattern in patterns:
            for m in pattern.finditer(text):
                words = m.group(1).split()
                cut = [
                    i
                    for i, w in enumerate(words)
                    if w.endswith(("'s", "’s")) or re.fullmatch(REPORTER_TITLES, w)
                ]
                name = core_name(words[cut[-1] + 1 :] if cut else words)
                if len(name) >= 2:
                    names.add(fold(" ".join(name)))
    return names


def _is_reporter(entity_names: Iterable[str], reporters: set[str]) -> bool:
    for name in entity_names:
        key = fold(name)
        if key in reporters:
            return True
    return False


# --------------------------------------------------------------------------- merging


def _acronym(core: Sequence[str]) -> str:
    return "".join(w[0] for w in core if fold(w) not in _CONNECT and w[:1].isupper()).upper()


def _entity_id(kind: str, name: str) -> str:
    return "e-" + hashlib.sha1(f"{kind}:{fold(name)}".encode()).hexdigest()[:12]


def _merge_people(raws: list[_Raw]) -> list[list[_Raw]]:
    surnames = {fold(r.core[-1]) for r in raws if r.kind == "person" and r.core}
    for r in raws:
        # "Oleg Nikolenko" tagged ORG while "Nikolenko said" is a person: a name, not an organisation
        if (
            r.kind == "organisation"
            and 2 <= len(r.core) <= 3
            and "orgish" not in r.extras
            and fold(r.core[-1]) in surnames
            and all(w[:1].isupper() for w in r.core)
        ):
            r.kind, r.label = "person", "PERSON:surname"
    people = [r for r in raws if r.kind == "person"]
    groups: list[list[_Raw]] = []
    by_key: dict[tuple[str, str], int] = {}
    for r in people:
        if len(r.core) < 2:
            continue
        key = (fold(r.core[0]), fold(r.core[-1]))
        if key not in by_key:
            by_key[key] = len(groups)
            groups.append([])
        r.group = by_key[key]
        groups[r.group].append(r)
    token_index: dict[str, set[int]] = defaultdict(set)
    last_index: dict[str, set[int]] = defaultdict(set)
    for (first, last), g in by_key.items():
        token_index[first].add(g)
        token_index[last].add(g)
        last_index[last].add(g)

    # full names per article: a one-word mention is read against the names its own article gives
    local: dict[str, set[int]] = defaultdict(set)
    for r in people:
        if r.group >= 0:
            local[r.article].add(r.group)

    def attach(r: _Raw) -> bool:
        word = fold(r.core[-1]) if r.core else ""
        # "Romano" is Sergio Romano's surname, Romano Prodi's first name: a word joins a person
        # through a name of its own article ("Xi Jinping … Mr Xi"), else only as a surname, so two
        # people who share one token never merge through it
        cands = (token_index.get(word, set()) & local[r.article]) or last_index.get(word)
        if not cands:
            return False
        if len(cands) > 1:
            before = [x for x in people if x.article == r.article and x.group in cands and x.order < r.order]
            chosen = (
                max(before, key=lambda x: x.order).group
                if before
                else max(cands, key=lambda g: (len(groups[g]), -g))
            )
        else:
            chosen = next(iter(cands))
        r.group = chosen
        r.kind = "person"
        groups[chosen].append(r)
        return True

    singles: dict[str, int] = {}
    for r in sorted(people, key=lambda x: (x.article, x.order)):
        if r.group >= 0:
            continue
        if not attach(r):
            single = fold(" ".join(r.core))
            if single not in singles:
                singles[single] = len(groups)
                groups.append([])
            r.group = singles[single]
            groups[r.group].append(r)
    # a one-word ORG/PERSON/place mention that is the name of a known person ("Kuleba", "Wang")
    for r in raws:
        if r.kind in ("organisation", "place") and len(r.core) == 1 and r.label in ("ORG", "PERSON"):
            word = fold(r.core[0])
            if word in token_index and word not in {
                fold(" ".join(x.core)) for x in raws if x.kind != "person" and len(x.core) > 1
            }:
                attach(r)
    return [g for g in groups if g]


def _merge_others(raws: list[_Raw], kind: EntityKind) -> list[list[_Raw]]:
    items = [r for r in raws if r.kind == kind]
    groups: list[list[_Raw]] = []
    by_key: dict[str, int] = {}
    for r in items:
        key = fold(" ".join(r.core))
        if key not in by_key:
            by_key[key] = len(groups)
            groups.append([])
        r.group = by_key[key]
        groups[r.group].append(r)
    # by acronym: "ICC" is the International Criminal Court, "US" or "U.S." the United States
    acronyms: dict[str, int] = {}
    for g in by_key.values():
        core = groups[g][0].core
        if len(core) >= 2:
            acronyms.setdefault(_acronym(core), g)
    if acronyms:
        for g in list(by_key.values()):
            core = groups[g][0].core
            bare = core[0].replace(".", "") if len(core) == 1 else ""
            if bare.isupper() and 2 <= len(bare) <= 6:
                target = acronyms.get(bare)
                if target is not None and target != g:
                    for r in groups[g]:
                        r.group = target
                    groups[target].extend(groups[g])
                    groups[g] = []
    return [g for g in groups if g]


def _canonical(group: list[_Raw]) -> str:
    kind = group[0].kind
    forms = Counter(" ".join(r.core) for r in group)
    if kind == "person":
        full = [f for f in forms if len(f.split()) >= 2]
        pool = full or list(forms)
        return max(pool, key=lambda f: (forms[f], -len(f.split()), f))
    long_forms = [f for f in forms if len(f.split()) >= 2 and not f.isupper()]
    if long_forms and any(f.replace(".", "").isupper() and " " not in f for f in forms):
        return max(long_forms, key=lambda f: (forms[f], f))
    by_fold: dict[str, Counter[str]] = defaultdict(Counter)
    for f, n in forms.items():
        by_fold[fold(f)][f] += n
    best_fold = max(by_fold, key=lambda k: (sum(by_fold[k].values()), k))
    variants = by_fold[best_fold]
    upper = [v for v in variants if v.isupper() and " " not in v and len(v) <= 6]
    if upper:
        return upper[0]
    return max(variants, key=lambda v: (variants[v], v))


RULE_AGREEMENT = 0.75
"""How much a mention that a rule made (not the NER model) counts as agreeing with the kind."""


def entity_confidence(labels: Sequence[str], kind: EntityKind) -> float:
    """How sure it is that these mentions are one entity of this kind, in [0, 1]: the share of
    mentions whose NER label gives that kind (a rule-made mention counts ``RULE_AGREEMENT``), times
    0.7 for a name mentioned once and 0.85 for twice (one reading of the model, unconfirmed)."""
    if not labels:
        return 0.0
    agree = sum(1.0 if KINDS.get(x) == kind else RULE_AGREEMENT if x not in KINDS else 0.0 for x in labels)
    support = 0.7 if len(labels) == 1 else 0.85 if len(labels) == 2 else 1.0
    return round(agree / len(labels) * support, 3)


def resolve_entities(
    articles: Sequence[Article],
    parsed: Mapping[str, ParsedArticle] | None = None,
    settings: EntitySettings | None = None,
) -> tuple[Entity, ...]:
    """One canonical entity per person, organisation and place of a story, with aliases and mentions.

    ``articles`` are the story's articles; ``parsed`` their spaCy parses from :func:`parse_articles`
    (computed here when not given, so pass them to share the parse with quote attribution).
    Entities come most-mentioned first (ties by name), each with an id that depends only on its kind
    and canonical name. Reporters of the articles are left out.
    """
    settings = settings or EntitySettings()
    if not articles:
        return ()
    parsed = parsed if parsed is not None else parse_articles(articles, settings)
    raws: list[_Raw] = []
    for article in articles:
        if article.id in parsed:
            raws.extend(doc_mentions(parsed[article.id]))
    reporters: set[str] = set()
    for article in articles:
        reporters |= reporter_names(article)
    _placed_everywhere(raws)
    groups = _merge_people(raws)
    groups.extend(_merge_others(raws, "organisation"))
    groups.extend(_merge_others(raws, "place"))
    entities: list[Entity] = []
    for group in groups:
        name = _canonical(group)
        kind = group[0].kind
        aliases = {r.alias for r in group} | {" ".join(r.core) for r in group} | {r.text for r in group}
        aliases |= {x[6:] for r in group for x in r.extras if x.startswith("alias:")}
        aliases = {_strip_possessive(a.strip()) for a in aliases if a.strip()}
        aliases.discard(name)
        if kind == "person" and _is_reporter([name, *aliases], reporters):
            continue
        if len(group) < settings.min_mentions:
            continue
        mentions = tuple(
            Mention(r.article, r.span, r.text, r.label)
            for r in sorted(group, key=lambda x: (x.article, x.span))
        )
        entities.append(
            Entity(
                _entity_id(kind, name),
                name,
                kind,
                tuple(sorted(aliases)),
                mentions,
                confidence=entity_confidence([r.label for r in group], kind),
            )
        )
    entities.sort(key=lambda e: (-len(e.mentions), e.kind, e.name))
    return tuple(entities)


def mention_index(entities: Iterable[Entity]) -> dict[str, list[tuple[Span, Entity]]]:
    """Per article, the ``(span, entity)`` of every mention, in text order (for speaker lookup)."""
    index: dict[str, list[tuple[Span, Entity]]] = defaultdict(list)
    for entity in entities:
        for m in entity.mentions:
            index[m.article].append((m.span, entity))
    for spans in index.values():
        spans.sort(key=lambda x: x[0])
    return dict(index)
