"""Quote attribution: who said what, with speaker, cue and content spans, linked across articles.

Stage order (per article, on the spaCy parse shared with entity resolution):

1. Quotation marks: the quoted spans of each paragraph (curly or straight marks, also mixed
   "…” pairs; a quote left open runs to the paragraph end, as multi-paragraph quotes do).
2. Verb cues: a speech or cognition verb from :data:`CUE_LEMMAS` with a clausal complement
   (``ccomp``: "X said (that) …", "“…,” X said") gives an attribution: speaker = its subject (or,
   for "saying"/"adding"/"and said", the subject of the verb it hangs on; for "who said", the noun
   the clause describes), content = the complement (widened to the whole quotation it starts in).
   Verbs of asking/urging with an object and an infinitive ("urged X to …") and verbs whose object
   holds a quotation (mixed quotes: "described them as “…”") count too; so do parenthetical cues
   ("…, he said, …"), "according to X, …", speech acts whose object is the content ("criticized
   the plan", "called for a ceasefire", :data:`DOBJ_CUES`), nouns with a "that"-clause ("Trump's
   claim that …") and paragraphs opening with "Name: …" (headlines, transcripts). Cues inside a
   quotation are the speaker's words, not attributions.
3. Remaining quotations: a quotation no cue covers takes the nearest cue of its paragraph, the cue
   of a previous paragraph ending in a colon ("He added:"), a transcript label ("PENCE: …") or,
   when the whole paragraph continues a quotation, the speaker of the previous one.
4. Speakers: pronouns ("he said") go to the last person who was the subject of a clause (or a
   resolved speaker) within a few paragraphs; names and organisations map to canonical entities
   (:func:`synoptic.nlp.entities.resolve_entities`).
5. Statements: quotes of the same speaker in different articles whose contents are close in MiniLM
   space (:data:`synoptic.config.QUOTE_LINK_SIMILARITY`) share a statement id (translations and
   rewordings of one statement).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from synoptic.config import EntitySettings, QuoteSettings
from synoptic.nlp.embeddings import Embedder, make_embedder
from synoptic.nlp.entities import ParsedArticle, fold, mention_index, parse_articles
from synoptic.nlp.quotations import quotation_spans
from synoptic.outlets.domains import agencies
from synoptic.records import Article, Entity, Quote, Span
from synoptic.unionfind import UnionFind

CUE_LEMMAS = frozenset(
    """say tell add state claim warn note insist argue write tweet announce explain report urge suggest
    believe think ask acknowledge admit agree allege assert boast caution charge complain concede conclude
    confirm contend counter declare deny disclose emphasize emphasise estimate fear find hint hope
    indicate maintain mention observe point post predict promise propose recall recommend reiterate
    remark reply respond retort reveal show signal stress testify vow worry learn continue feel
    expect know order demand plead pledge threaten blame accuse insist whisper shout cry joke muse
    speculate theorize theorise question wonder rule decide determine""".split()
)
"""Lemmas of verbs that introduce what someone said or thought (tuned on the first 150 PolNeAR dev
articles: cognition verbs such as "believe" and "think" are attributions there too)."""

OBJECT_CUES = frozenset("urge ask tell call encourage warn advise order beg implore".split())
"""Cues whose content can be an object plus infinitive ("urged Ukraine to restart talks")."""

MIXED_CUES = frozenset("describe call dub label brand characterize characterise term praise hail".split())
"""Cues whose quoted object is the content ("described them as “good neighbours”")."""

NOUN_CUES = frozenset(
    """claim statement report assertion argument suggestion warning belief view announcement promise
    accusation allegation insistence contention admission prediction fear hope concern""".split()
)
"""Nouns whose "that"-clause is an attribution ("Trump's claim that …")."""

XCOMP_CUES = frozenset(
    "vow promise pledge threaten agree refuse offer hope want plan decline intend seek expect".split()
)
"""Cues whose content is an infinitive ("Wang vowed to “continue to strengthen …”")."""

DOBJ_CUES = frozenset(
    """criticize criticise praise attack support back thank mention discuss cite propose offer endorse
    condemn defend reject dismiss blame slam blast applaud welcome oppose recommend demand predict
    reveal describe acknowledge announce deny confirm call""".split()
)
"""Speech acts whose object is what was said ("criticized the plan", "called for a ceasefire"):
PolNeAR annotates their objects as contents (first 150 dev articles)."""
_DOBJ_DEPS = ("dobj", "prep", "ccomp", "xcomp", "oprd", "dative", "advcl")

ALL_CUES = CUE_LEMMAS | DOBJ_CUES | OBJECT_CUES | MIXED_CUES | XCOMP_CUES

QUOTED_SHARE = 0.6
"""A cue's object counts as its content only when quotations make up this share of it: "said
“We will win”" is a quote, "declared a “no limits” friendship" is not (seed story and PolNeAR
dev, first 150 articles)."""

PRONOUNS: Mapping[str, tuple[str, ...]] = {
    "he": ("person",),
    "she": ("person",),
    "it": ("organisation", "place"),
}
_MALE = frozenset({"mr", "he", "him", "his", "sir", "lord", "king", "prince"})
_FEMALE = frozenset({"mrs", "ms", "miss", "she", "her", "dame", "lady", "queen", "princess"})
NON_SPEAKERS = frozenset({"i", "we", "you", "me", "us", "one"})
_TRANSCRIPT = re.compile(r'^["“]?([A-Z][A-Z.\'’ -]{1,30}[A-Z]):\s+')
_LABEL = re.compile(r"^[\"“]?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}):\s+(\S.*)$", re.S)
"""A paragraph opening with a name and a colon: a headline ("McCain: populist anger …") or a
transcript turn ("PENCE: Well, look, …")."""
_NOT_LABELS = frozenset(
    {"update", "note", "editor's note", "watch", "read more", "related", "photo", "video", "source"}
)
_EDGE_PUNCT = " \t\n,;:—–-"

# --------------------------------------------------------------------------- confidence tables
# How sure an attribution is (docs/confidence.md, "Quotes"): the product of one factor per feature.
# Every attribution stays in the output (PolNeAR counts refusals, denials and "the report said" as
# attributions); the default views show those at or above DossierSettings.show_threshold (0.5).

SPEECH_LEMMAS = frozenset(
    """say tell add state claim warn note insist argue write tweet announce explain report urge suggest
    ask acknowledge admit allege assert caution complain concede confirm contend counter declare
    disclose emphasize emphasise mention post predict promise propose recall recommend reiterate remark
    reply respond retort reveal stress testify vow pledge plead threaten whisper shout cry joke describe
    call dub label brand characterize characterise term continue according""".split()
)
"""Verbs of saying (and "according to"): what was said, by whom. Verbs of thinking ("believe"),
of acting on a statement ("deny", "refuse", "condemn", "welcome", "cite", "blame") and of intending
("seek", "plan") report no speech of their own."""

NAMING_LEMMAS = frozenset("call dub label brand term characterize characterise ask".split())
"""Verbs of saying whose content is often a name or a question, not a statement ("called him a
“petulant child”", "asked what that might look like"): right half as often on PolNeAR dev."""

COGNITION_LEMMAS = frozenset(
    """believe think feel hope fear expect know worry wonder find learn decide determine conclude rule
    estimate question show indicate signal hint observe speculate theorize theorise muse agree""".split()
)
"""Verbs of thinking or finding: attributions (PolNeAR annotates them) but not reported speech."""

ROLE_NOUNS = frozenset(
    """official spokesman spokeswoman spokesperson minister ministry president leader secretary
    ambassador diplomat envoy analyst expert source aide adviser advisor lawmaker senator congressman
    congresswoman representative governor mayor chief head director commander general officer police
    prosecutor judge court agency media newspaper government administration department campaign
    candidate chairman chairwoman chair executive economist professor researcher scientist critic
    activist witness lawyer attorney committee office authority regulator company bank union party
    embassy military army kremlin""".split()
)
"""Heads of noun phrases that name a speaker by role ("the spokesman", "officials", "Russian state
media"), when the entity stage has no name for it. Any other noun ("the visit", "the project",
"statements", "China's refusal") does not speak."""

CUE_FACTOR: Mapping[str, float] = MappingProxyType(
    {"speech": 1.0, "naming": 0.45, "noun": 0.5, "label": 0.6, "cognition": 0.45, "act": 0.3}
)
"""Kind of cue: a verb of saying, of naming or asking (:data:`NAMING_LEMMAS`), a noun with a
that-clause ("Trump's claim that"), a "Name: …" paragraph, a verb of thinking, or any other verb."""

SPEAKER_FACTOR: Mapping[str, float] = MappingProxyType(
    {
        "entity": 0.95,
        "place": 0.7,
        "pronoun": 0.85,
        "name": 0.45,
        "role": 0.7,
        "noun": 0.3,
        "other": 0.2,
        "unknown": 0.2,
    }
)
"""Speaker: a person or organisation the entity stage knows; a place speaking for its government
("China said"); a pronoun resolved to an entity; a proper name the entity stage missed; a role noun;
any other noun; a number or an unresolved pronoun ("they", "two"); no speaker at all. A name the
entity stage does not know is not shown: a reader is shown speakers it can trust to be people or
organisations (and PolNeAR dev finds them right less often than known ones, 0.81 vs 0.86)."""

SHAPE_FACTOR: Mapping[str, float] = MappingProxyType(
    {"clause": 1.0, "quoted": 0.55, "infinitive": 0.85, "short": 0.5, "fragment": 0.5}
)
"""Content: a clause (a subject, or a finite verb whose subject the parser put elsewhere); a
quoted fragment ("described as “good neighbours”"); an infinitive ("vowed to …"); fewer than
:data:`SHORT_WORDS` words ("did not mean it was not there."); an unquoted phrase ("denied the
allegations", "citing agencies")."""

_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})

SHORT_WORDS = 5
"""Contents shorter than this are mostly pieces of a longer statement (right half as often as
longer ones on PolNeAR dev)."""

RULE_FACTOR: Mapping[str, float] = MappingProxyType(
    {
        "nearest-cue": 0.9,
        "colon-paragraph": 0.95,
        "transcript": 0.9,
        "parataxis": 0.75,
        "xcomp": 0.55,
        "mixed": 0.8,
        "object-act": 0.5,
        "colon": 0.5,
        "continued": 0.5,
        "inverted": 0.6,
    }
)
"""How the content was found, where PolNeAR dev shows it less reliable than a clausal complement
(``ccomp``, 1): by position (step 3), as an infinitive or a quoted object, as the object of the cue
("announced the annexation"), as a quotation after "X said:", or as a paragraph continuing one."""


@dataclass(slots=True)
class _Attr:
    """An attribution while it is being built (internal)."""

    content: Span
    cue: Span | None
    speaker_span: Span | None
    speaker_text: str
    speaker_head: int | None
    """Character offset (absolute) of the speaker's head token, for entity lookup."""
    speaker_tokens: Span | None
    """Absolute span of an apposition that names the speaker ("the spokesman, Wang Wenbin"), for
    entity lookup when the head itself is no name."""
    rule: str
    paragraph: int
    lemma: str = ""
    """Lemma of the cue word ("say", "according", "claim"; "" for labels and transcripts)."""
    speaker_pos: str = ""
    """Part of speech of the speaker's head token (PROPN, NOUN, PRON, NUM; "" when none)."""
    speaker_lemma: str = ""
    """Lemma of the speaker's head token, lower-cased (for role nouns: "spokesman", "officials")."""
    shape: str = "clause"
    """What the content is: ``clause``, ``quoted`` (a quoted fragment), ``infinitive`` or ``fragment``."""


# --------------------------------------------------------------------------- quotation marks


def _inner(text: str, span: Span) -> Span:
    s, e = span
    if s < e and text[s] in '“"':
        s += 1
    if e > s and text[e - 1] in '”"':
        e -= 1
    return s, e


def _trim(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s] in _EDGE_PUNCT:
        s += 1
    while e > s and text[e - 1] in _EDGE_PUNCT + ".":
        e -= 1
    if (
        e - s > 2
        and text[s] in '“"'
        and text[e - 1] in '”"'
        and not any(c in '“”"' for c in text[s + 1 : e - 1])
    ):
        s, e = s + 1, e - 1  # one whole quotation: its words, without the marks
        while e > s and text[e - 1] in _EDGE_PUNCT:
            e -= 1
        return s, e
    # a straight mark with no straight partner inside closes a quotation opened before the
    # content, unless it closes a curly one opened inside (“one-sided ... perspective.")
    if (
        e > s
        and text[e - 1] in '”"'
        and text[s] not in '“"'
        and text[s:e].count('"') % 2 == 1
        and text[s : e - 1].count("“") <= text[s : e - 1].count("”")
    ):
        e -= 1
    if s < e and text[s] in '“"' and e < len(text) and text[s:e].count("”") + text[s:e].count('"') < 2:
        s += 1
    while s < e and text[s] in _EDGE_PUNCT:
        s += 1
    # keep a sentence-final full stop that belongs to the content
    if e < len(text) and text[e : e + 1] == "." and e > s:
        e += 1
    return s, e


def _words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- speakers


def _compact_np(tok: Any) -> tuple[int, int]:
    """Token range of a noun phrase up to its head (relative clauses and appositions left out)."""
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "case") or (child.dep_ == "punct" and child.text in "'’"):
            right = max(right, child.right_edge.i)
        else:
            break
    return left, right + 1


def _subject_of(verb: Any) -> tuple[Any | None, str]:
    """The speaker token of a cue verb, and how it was found."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head, "relcl"
            return child, "nsubj"
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj, "agent"
    if verb.dep_ == "relcl":
        return verb.head, "relcl"
    if verb.dep_ in ("conj", "advcl", "xcomp", "acl", "parataxis") and verb.head is not verb:
        head = verb.head
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            return head, "acl"
        for child in head.children:
            if child.dep_ == "nsubj":
                if child.lower_ in ("who", "which", "that") and head.dep_ == "relcl":
                    return head.head, "relcl"
                return child, "inherited"
        if head.dep_ == "relcl":
            return head.head, "relcl"
    return None, ""


def _speaker(doc: Any, offset: int, tok: Any | None) -> tuple[Span | None, str, int | None, Span | None]:
    """Speaker span, text, head offset and the span where its name may be found.

    The name is looked up at the head token, else in an apposition ("the spokesman, Wang Wenbin,"):
    never elsewhere in the noun phrase, where a possessor ("Mr Xi's visit") or a relative clause
    ("Prodi, a friend of Sergio Romano,") would name someone who is not the speaker."""
    if tok is None:
        return None, "", None, None
    left, right = _compact_np(tok)
    span_doc = doc[left:right]
    text = span_doc.text
    appos = [c for c in tok.children if c.dep_ == "appos"]
    name: Span | None = None
    if appos and tok.pos_ != "PROPN":
        a_left, a_right = _compact_np(appos[0])
        name = (offset + doc[a_left].idx, offset + doc[a_right - 1].idx + len(doc[a_right - 1].text))
    return (offset + span_doc.start_char, offset + span_doc.end_char), text, offset + tok.idx, name


def _inverted_speaker(tok: Any) -> Any | None:
    """ "…, reported Reuters." / "…, said Mr Peskov.": the name right after a speech verb that
    follows its content (the parser makes it an object or a late subject)."""
    if tok.lemma_.lower() not in SPEECH_LEMMAS or tok.i == 0 or _prev(tok).text not in ',”"':
        return None
    for child in tok.children:
        if child.i > tok.i and child.dep_ in ("dobj", "nsubj", "npadvmod", "attr") and child.pos_ == "PROPN":
            return child
    return None


def _prev(tok: Any) -> Any:
    """The token before ``tok`` (``tok`` itself at the start of its doc)."""
    return tok.doc[tok.i - 1] if tok.i > 0 else tok


def _nearest_name(tok: Any) -> Any | None:
    """A subject the parser lost ("As reported by ANI, Oleg Nikolenko, spokesperson for the
    ministry, has stated that …"): for an active root speech verb without one, the last proper
    name before it in its sentence with no other verb in between."""
    if tok.dep_ != "ROOT" or any(c.dep_ in ("nsubjpass", "auxpass", "expl") for c in tok.children):
        return None
    for i in range(tok.i - 1, tok.sent.start - 1, -1):
        cand = tok.doc[i]
        if cand.pos_ in ("VERB",) or cand.text in ("“", '"', "”"):
            return None
        if cand.pos_ == "PROPN" and cand.dep_ not in ("compound", "flat"):
            return cand
    return None


# --------------------------------------------------------------------------- cues


def _span_of(doc: Any, offset: int, first: int, last: int) -> Span:
    return offset + doc[first].idx, offset + doc[last].idx + len(doc[last].text)


def _inside(pos: int, spans: Sequence[Span]) -> Span | None:
    for s, e in spans:
        if s < pos < e - 1:
            return (s, e)
    return None


def _relative_pronoun(verb: Any) -> Any | None:
    """The "who"/"which"/"that" subject of a relative-clause cue, or of the clause it hangs on."""
    for v in (verb, verb.head):
        for child in v.children:
            if child.dep_ == "nsubj" and child.lower_ in ("who", "which", "that"):
                return child
    return None


def _attr(
    doc: Any, offset: int, content: Span, cue: Span, subj: Any | None, rule: str, para: int, lemma: str
) -> _Attr:
    sp, text, head, name = _speaker(doc, offset, subj)
    pos = subj.pos_ if subj is not None else ""
    spk_lemma = subj.lemma_.lower() if subj is not None else ""
    return _Attr(content, cue, sp, text, head, name, rule, para, lemma, pos, spk_lemma)


def _verb_attributions(
    doc: Any, offset: int, quotes: Sequence[Span], para: int, paragraph: str
) -> list[_Attr]:
    """Attributions by a cue verb in one paragraph (``paragraph``: its text, ``doc.text``)."""
    out: list[_Attr] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX") or lemma not in ALL_CUES:
            continue
        if _inside(offset + tok.idx, quotes) is not None:
            continue  # a cue inside a quotation belongs to the quoted words
        comp = [c for c in tok.children if c.dep_ == "ccomp"]
        content: Span | None = None
        rule = "ccomp"
        if comp:
            c = comp[0]
            content = _span_of(doc, offset, c.left_edge.i, c.right_edge.i)
            if c.i < tok.i and c.right_edge.i >= tok.i:
                content = _span_of(doc, offset, c.left_edge.i, tok.i - 1)
        elif lemma in OBJECT_CUES or lemma in XCOMP_CUES:
            xcomp = [c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i]
            dobj = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
            if xcomp and dobj and lemma in OBJECT_CUES:
                content = _span_of(doc, offset, dobj[0].left_edge.i, xcomp[0].right_edge.i)
                rule = "object"
            elif xcomp and not dobj and lemma in XCOMP_CUES:
                content = _span_of(doc, offset, xcomp[0].left_edge.i, xcomp[0].right_edge.i)
                rule = "xcomp"
        if content is None:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "oprd", "prep", "attr") and c.i > tok.i]
            for obj in objs:
                span = _span_of(doc, offset, obj.left_edge.i, obj.right_edge.i)
                inner = [(s, e) for s, e in quotes if s >= span[0] - 1 and e <= span[1] + 1]
                if not inner:
                    continue
                quoted = sum(e - s for s, e in inner)
                if lemma in MIXED_CUES:
                    # what is described goes with what it is called: "described China and Russia
                    # as “good neighbours”", not "as “good neighbours”"
                    first = min((o.left_edge.i for o in objs if o.dep_ == "dobj"), default=obj.left_edge.i)
                    content = _span_of(doc, offset, min(first, obj.left_edge.i), obj.right_edge.i)
                    rule = "mixed"
                    break
                if quoted >= QUOTED_SHARE * (span[1] - span[0]):
                    content, rule = (min(s for s, _ in inner), max(e for _, e in inner)), "quoted-object"
                    break
        if content is None and lemma in DOBJ_CUES:
            after = [c for c in tok.children if c.i > tok.i and c.dep_ in _DOBJ_DEPS]
            if after and after[0].dep_ in ("dobj", "prep", "ccomp", "xcomp"):
                first, last = after[0].left_edge.i, max(c.right_edge.i for c in after)
                if last - first >= 1:
                    content, rule = _span_of(doc, offset, first, last), "object-act"
        if content is None and tok.dep_ == "parataxis" and tok.head.i != tok.i:
            sent = tok.sent
            sub_left = tok.left_edge.i
            if sub_left > sent.start:
                # "…, he said." -> what precedes; "The economy, he said, will recover" -> the sentence
                last = sent.end - 1 if sent.end - 1 - tok.right_edge.i >= 3 else sub_left - 1
                content = _span_of(doc, offset, sent.start, last)
                rule = "parataxis"
        if content is None:
            # "X said: “…”" / "X said, “…”": a quotation right after the cue clause
            after = offset + tok.right_edge.idx + len(tok.right_edge.text)
            for s, e in quotes:
                gap = paragraph[after - offset : s - offset] if s >= after else None
                if gap is not None and len(gap) <= 3 and gap.strip() in ("", ":", ",", ":,"):
                    content = (s, e)
                    rule = "colon"
                    break
        inverted = _inverted_speaker(tok) if content is None else None
        if inverted is not None and tok.i - tok.sent.start >= 4:
            content, rule = _span_of(doc, offset, tok.sent.start, tok.i - 2), "inverted"
        if content is None:
            continue
        subj, how = (inverted, "inverted") if rule == "inverted" else _subject_of(tok)
        if subj is None and lemma in SPEECH_LEMMAS:
            subj, how = _inverted_speaker(tok), "inverted"
        if subj is None and lemma in SPEECH_LEMMAS:
            subj, how = _nearest_name(tok), "nearest-name"
        if subj is not None and subj.lower_ in NON_SPEAKERS:
            continue
        if subj is not None and subj.lower_ in ("it", "there") and how == "nsubj" and tok.pos_ == "AUX":
            continue
        cue = (offset + tok.idx, offset + tok.idx + len(tok.text))
        attr = _attr(doc, offset, content, cue, subj, rule, para, lemma)
        relative = _relative_pronoun(tok) if how == "relcl" else None
        if relative is not None:
            # "Cruz, who said …": the speaker is mentioned by "who"; the name is its antecedent's
            attr.speaker_span = (offset + relative.idx, offset + relative.idx + len(relative.text))
        out.append(attr)
    for tok in doc:
        # "according to X, …"
        if tok.lower_ == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            if not to:
                continue
            pobj = [c for c in to[0].children if c.dep_ == "pobj"]
            if not pobj:
                continue
            sent = tok.sent
            phrase_l, phrase_r = tok.left_edge.i, max(tok.right_edge.i, pobj[0].right_edge.i)
            if phrase_l - sent.start >= 3:
                content = _span_of(doc, offset, sent.start, phrase_l - 1)
            elif sent.end - 1 - phrase_r >= 3:
                content = _span_of(doc, offset, phrase_r + 1, sent.end - 1)
            else:
                continue
            cue = (offset + tok.idx, offset + to[0].idx + len(to[0].text))
            out.append(_attr(doc, offset, content, cue, pobj[0], "according", para, "according"))
        # "Trump's claim that …"
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            clause = [
                c
                for c in tok.children
                if c.dep_ in ("acl", "ccomp") and any(g.lower_ == "that" for g in c.children)
            ]
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if clause and poss and poss[0].lower_ not in NON_SPEAKERS:
                c = clause[0]
                content = _span_of(doc, offset, c.left_edge.i, c.right_edge.i)
                cue = (offset + tok.idx, offset + tok.idx + len(tok.text))
                out.append(_attr(doc, offset, content, cue, poss[0], "noun", para, tok.lemma_.lower()))
    return out


# --------------------------------------------------------------------------- per article


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _jaccard(a: Span, b: Span) -> float:
    inter = _overlap(a, b)
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _widen_to_quotes(text: str, content: Span, quotes: Sequence[Span]) -> Span:
    """A content that starts inside a quotation runs to that quotation's end (multi-sentence
    quotes); one that opens a quotation and stops inside it (the parse cut the clause at a comma:
    "that the businessman “is right about the problems, but his solutions don't work.”") too."""
    s, e = content
    for qs, qe in quotes:
        if qs - 2 <= s < qe and e <= qe + 2:
            s, e = min(s, qs), max(e, qe)
        elif (qs <= s < qe < e and text[qe:e].strip(_EDGE_PUNCT + ".") == "") or s < qs < e < qe:
            e = qe
    return s, e


def marks_text(text: str) -> str:
    """``text`` with doubled apostrophes and backticks (''…'', ``…'', as in the New York Times and
    Penn Treebank texts) written as a straight quotation mark and a space: the same length, so every
    offset stays valid, and quotation marks are found by one rule."""
    return text.replace("``", '" ').replace("''", '" ')


def article_attributions(parsed: ParsedArticle) -> list[_Attr]:
    """All attributions of one article, in text order, before speaker resolution."""
    article = parsed.article
    text = marks_text(article.text)
    attrs: list[_Attr] = []
    para_quotes: list[list[Span]] = []
    for para, ((offset, doc), paragraph) in enumerate(zip(parsed.paragraphs, parsed.texts, strict=True)):
        quotes = [
            (offset + s, offset + e) for s, e in quotation_spans(text[offset : offset + len(paragraph)])
        ]
        para_quotes.append(quotes)
        for attr in _verb_attributions(doc, offset, quotes, para, paragraph):
            attr.content = _trim(text, _widen_to_quotes(text, attr.content, quotes))
            if attr.content[1] - attr.content[0] >= 3:
                attrs.append(attr)
        label = _LABEL.match(paragraph)
        if label is not None and _words(label.group(2)) >= 3 and fold(label.group(1)) not in _NOT_LABELS:
            s, e = offset + label.start(1), offset + label.end(1)
            colon = offset + label.end(1)
            content = _trim(text, (offset + label.start(2), offset + len(paragraph)))
            attrs.append(
                _Attr(
                    content, (colon, colon + 1), (s, e), label.group(1), s, (s, e), "label", para, "", "PROPN"
                )
            )
    attrs = _dedupe(attrs)
    attrs.extend(_orphan_quotes(parsed, para_quotes, attrs))
    attrs.sort(key=lambda a: a.content)
    attrs = _dedupe(attrs)
    for attr in attrs:
        offset, doc = parsed.paragraphs[attr.paragraph]
        attr.shape = _content_shape(text, offset, doc, attr.content)
    return attrs


def _dedupe(attrs: list[_Attr]) -> list[_Attr]:
    kept: list[_Attr] = []
    for attr in attrs:
        if any(_jaccard(attr.content, k.content) >= 0.8 for k in kept):
            continue
        kept.append(attr)
    return kept


def _orphan_quotes(parsed: ParsedArticle, para_quotes: list[list[Span]], attrs: list[_Attr]) -> list[_Attr]:
    """Quotations no cue covers, attributed by position (step 3 of the module docstring)."""
    text = marks_text(parsed.article.text)
    out: list[_Attr] = []
    by_para: dict[int, list[_Attr]] = defaultdict(list)
    for a in attrs:
        by_para[a.paragraph].append(a)
    last_direct: _Attr | None = None
    for para, ((offset, _), quotes) in enumerate(zip(parsed.paragraphs, para_quotes, strict=True)):
        label = _TRANSCRIPT.match(parsed.texts[para])
        for q in quotes:
            inner = _inner(text, q)
            covered = any(_overlap(inner, a.content) >= 0.5 * (inner[1] - inner[0]) for a in attrs + out)
            if covered:
                continue
            quoted = text[inner[0] : inner[1]]
            if _words(quoted) < 4 and not re.search(r"[,.!?]$", quoted.strip()):
                continue  # scare quotes ("no limits"), titles: not statements
            source: _Attr | None = None
            rule = ""
            cues = [a for a in by_para.get(para, []) if a.speaker_span is not None and a.cue is not None]
            if cues:
                source = min(cues, key=lambda a: min(abs(a.cue[0] - q[1]), abs(a.cue[0] - q[0])))  # type: ignore[index]
                rule = "nearest-cue"
            elif label is not None:
                name = label.group(1)
                s = offset + label.start(1)
                out.append(
                    _Attr(
                        _trim(text, inner),
                        None,
                        (s, s + len(name)),
                        name.title(),
                        s,
                        (s, s + len(name)),
                        "transcript",
                        para,
                        "",
                        "PROPN",
                    )
                )
                continue
            elif para > 0 and parsed.texts[para - 1].rstrip().endswith(":") and by_para.get(para - 1):
                source = by_para[para - 1][-1]
                rule = "colon-paragraph"
            elif last_direct is not None and last_direct.paragraph == para - 1 and q[0] - offset <= 1:
                source = last_direct
                rule = "continued"
            if source is None:
                continue
            attr = _Attr(
                _trim(text, inner),
                source.cue if rule == "nearest-cue" else None,
                source.speaker_span,
                source.speaker_text,
                source.speaker_head,
                source.speaker_tokens,
                rule,
                para,
                source.lemma,
                source.speaker_pos,
                source.speaker_lemma,
            )
            out.append(attr)
            by_para[para].append(attr)
        para_direct = [
            a
            for a in by_para.get(para, []) + [o for o in out if o.paragraph == para]
            if _has_quote(text, a.content)
        ]
        if para_direct:
            last_direct = max(para_direct, key=lambda a: a.content)
        elif not quotes:
            last_direct = None  # a paragraph without quotations ends any running quotation
    return out


def _has_quote(text: str, span: Span) -> bool:
    s, e = span
    return any(c in text[max(0, s - 2) : e + 2] for c in '“”"')


def _content_shape(text: str, offset: int, doc: Any, span: Span) -> str:
    """``clause`` (a subject and its verb inside), ``quoted``, ``infinitive``, ``short`` or
    ``fragment``."""
    s, e = span
    if len(text[s:e].split()) < SHORT_WORDS:
        return "short"
    toks = [t for t in doc if s <= offset + t.idx < e]
    inside = {t.i for t in toks}
    if any(t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and t.head.i in inside for t in toks):
        return "clause"
    if any(t.tag_ in _FINITE for t in toks):
        return "clause"  # a finite verb whose subject the parser attached elsewhere
    if any(t.lower_ == "to" and t.dep_ == "aux" and t.head.i in inside for t in toks):
        return "infinitive"
    return "quoted" if _has_quote(text, span) else "fragment"


# --------------------------------------------------------------------------- speakers to entities


def _entity_at(ctx: _Context, head: int | None, name: Span | None) -> Entity | None:
    """The entity of the mention at token ``head``, else the first person or organisation
    mentioned inside ``name``. Mentions are found by bisection on their starts (an article has
    thousands), in the same order a scan of ``ctx.mentions`` would meet them."""
    mentions = ctx.mentions
    if head is not None:
        lo = bisect.bisect_left(ctx.mention_starts, head - ctx.longest_mention)
        hi = bisect.bisect_right(ctx.mention_starts, head)
        for span, entity in mentions[lo:hi]:
            if span[0] <= head < span[1]:
                return entity
    if name is not None:
        lo = bisect.bisect_left(ctx.mention_starts, name[0])
        hi = bisect.bisect_left(ctx.mention_starts, name[1])
        inside = [e for span, e in mentions[lo:hi] if name[0] <= span[0] and span[1] <= name[1]]
        named = [e for e in inside if e.kind in ("person", "organisation")]
        if named:
            return named[0]
    return None


def _honorific_gender(text: str, mentions: list[tuple[Span, Entity]]) -> dict[str, str]:
    """Gender of people named with an honorific ("Mr Xi", "Ms Hua"): ``m`` or ``f`` by entity id."""
    out: dict[str, str] = {}
    for (s, _e), entity in mentions:
        if entity.kind != "person":
            continue
        before = text[max(0, s - 6) : s].split()
        word = before[-1].rstrip(".").lower() if before else ""
        if word in _MALE:
            out.setdefault(entity.id, "m")
        elif word in _FEMALE:
            out.setdefault(entity.id, "f")
    return out


def _by_title(speaker: str, titles: Mapping[str, dict[str, Entity]]) -> Entity | None:
    """ "The Russian president" -> the one person whose aliases start with "Russian president"."""
    words = fold(speaker).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if not words or len(words) > 4:
        return None
    found = titles.get(" ".join(words), {})
    return next(iter(found.values())) if len(found) == 1 else None


def _title_index(mentions: list[tuple[Span, Entity]]) -> dict[str, dict[str, Entity]]:
    """For :func:`_by_title`: each run of up to four leading words of a person's alias (followed
    by more words: "russian president" of "russian president vladimir putin") to the people
    (by id, in mention order) whose aliases start so. Built once per article, not per speaker."""
    index: dict[str, dict[str, Entity]] = {}
    seen: set[str] = set()
    for _, e in mentions:
        if e.kind != "person" or e.id in seen:
            continue
        seen.add(e.id)
        for alias in e.aliases:
            folded = fold(alias)
            words = folded.split(" ")
            for k in range(1, min(4, len(words) - 1) + 1):
                prefix = " ".join(words[:k])
                if prefix.split() == words[:k]:  # no empty words: the prefix is as a speaker folds
                    index.setdefault(prefix, {})[e.id] = e
    return index


def _subject_mentions(mentions: list[tuple[Span, Entity]], subjects: list[Span]) -> list[tuple[int, Entity]]:
    """``(start, entity)`` of the mentions that hold a clause subject (sorted subjects, bisected)."""
    ordered = sorted(subjects)
    out: list[tuple[int, Entity]] = []
    for span, ent in mentions:
        k = bisect.bisect_left(ordered, (span[0], -1))
        while k < len(ordered) and ordered[k][0] < span[1]:
            if ordered[k][1] <= span[1]:
                out.append((span[0], ent))
                break
            k += 1
    return out


def _subject_spans(parsed: ParsedArticle) -> list[Span]:
    spans: list[Span] = []
    for offset, doc in parsed.paragraphs:
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN":
                spans.append((offset + tok.idx, offset + tok.idx + len(tok.text)))
    return spans


@dataclass(slots=True)
class _Context:
    """What speaker resolution knows of one article while it walks its attributions (internal).

    Positions are kept sorted (stably, so ties keep their order) next to the lists they index,
    so each attribution looks at its own stretch of text, not at the whole article."""

    para_starts: list[int]
    antecedents: list[tuple[int, Entity]]
    """Person mentions that are clause subjects: the antecedents of "he"/"she" (by position)."""
    mentions: list[tuple[Span, Entity]]
    """In text order (:func:`~synoptic.nlp.entities.mention_index`)."""
    gender: dict[str, str]
    resolved: list[tuple[int, Entity]]
    """Speakers resolved so far, by position (ties in the order they were resolved)."""
    titles: dict[str, dict[str, Entity]] = field(default_factory=dict)
    mention_starts: list[int] = field(default_factory=list)
    longest_mention: int = 0

    def __post_init__(self) -> None:
        self.antecedents.sort(key=lambda x: x[0])
        self.mentions.sort(key=lambda x: x[0])
        self.mention_starts = [span[0] for span, _ in self.mentions]
        self.longest_mention = max((span[1] - span[0] for span, _ in self.mentions), default=0)
        self.titles = _title_index(self.mentions)

    def resolve(self, pos: int, entity: Entity) -> None:
        k = bisect.bisect_right(self.resolved, pos, key=lambda x: x[0])
        self.resolved.insert(k, (pos, entity))


def _between(items: list[tuple[int, Entity]], low: int, high: int) -> list[tuple[int, Entity]]:
    """The items of a position-sorted list with ``low <= position < high``."""
    return items[
        bisect.bisect_left(items, low, key=lambda x: x[0]) : bisect.bisect_left(
            items, high, key=lambda x: x[0]
        )
    ]


def _pronoun_entity(attr: _Attr, ctx: _Context, settings: QuoteSettings) -> Entity | None:
    """The entity "he", "she" or "it" refers to: the last fitting subject (or resolved speaker)
    within a few paragraphs, else the last fitting mention."""
    assert attr.speaker_span is not None
    low = attr.speaker_text.lower()
    kinds = PRONOUNS[low]
    pos = attr.speaker_span[0]
    limit = ctx.para_starts[max(0, attr.paragraph - settings.max_pronoun_paragraphs)]
    want = "m" if low == "he" else "f" if low == "she" else ""

    def fits(e: Entity) -> bool:
        return e.kind in kinds and (not want or ctx.gender.get(e.id, want) == want)

    pool = [(p, e) for p, e in _between(ctx.antecedents, limit, pos) + _between(ctx.resolved, limit, pos)]
    pool = [(p, e) for p, e in pool if fits(e)]
    if not pool:
        lo = bisect.bisect_left(ctx.mention_starts, limit)
        hi = bisect.bisect_left(ctx.mention_starts, pos)
        pool = [(span[0], e) for span, e in ctx.mentions[lo:hi] if fits(e)]
    if not pool:
        return None
    entity = max(pool, key=lambda x: x[0])[1]
    if want:
        ctx.gender.setdefault(entity.id, want)
    return entity


def _speaker_entity(attr: _Attr, ctx: _Context, settings: QuoteSettings) -> Entity | None:
    if attr.speaker_span is None:
        return None
    if attr.speaker_text.lower() in PRONOUNS:
        entity = _pronoun_entity(attr, ctx, settings)
    else:
        entity = _entity_at(ctx, attr.speaker_head, attr.speaker_tokens)
        if entity is None and attr.speaker_pos != "PROPN":
            # a title ("the Russian president"), never a name: "Romano" is not "Romano Prodi"
            entity = _by_title(attr.speaker_text, ctx.titles)
    if entity is not None:
        ctx.resolve(attr.speaker_span[0], entity)
    return entity


def _resolve(
    parsed: ParsedArticle,
    attrs: list[_Attr],
    mentions: list[tuple[Span, Entity]],
    settings: QuoteSettings,
) -> list[Quote]:
    article = parsed.article
    text = article.text
    subjects = _subject_spans(parsed)
    ctx = _Context(
        para_starts=[o for o, _ in parsed.paragraphs],
        antecedents=_subject_mentions(mentions, subjects),
        mentions=list(mentions),
        gender=_honorific_gender(text, mentions),
        resolved=[],
    )
    marked = marks_text(text)
    quotes: list[Quote] = []
    for attr in sorted(attrs, key=lambda a: (a.speaker_span or a.content)[0]):
        entity = _speaker_entity(attr, ctx, settings)
        speaker = attr.speaker_text
        if entity is not None:
            speaker = entity.name
        elif speaker.lower().startswith("the ") and attr.speaker_span is not None:
            speaker = speaker[4:]
        confidence = quote_confidence(
            cue_class(attr.lemma, attr.rule), speaker_kind(attr, entity), attr.shape, attr.rule
        )
        s, e = attr.content
        quotes.append(
            Quote(
                article=article.id,
                speaker=speaker,
                content=text[s:e],
                content_span=attr.content,
                direct=_has_quote(marked, attr.content),
                speaker_span=attr.speaker_span,
                cue=text[attr.cue[0] : attr.cue[1]] if attr.cue else None,
                cue_span=attr.cue,
                entity=entity.id if entity is not None else None,
                confidence=confidence,
            )
        )
    return without_relays(one_per_statement(quotes))


def without_relays(quotes: Sequence[Quote]) -> list[Quote]:
    """Drop a news agency's report that holds another speaker's words with that speaker named
    inside it ("Reuters reported Putin on Monday told Xi that he had looked at China's
    proposals"): the statement is Putin's, already a quote of its own; the agency relayed it."""

    def relays(q: Quote) -> bool:
        if fold(q.speaker or "").strip() not in agencies():
            return False
        start, end = q.content_span
        return any(
            o.speaker_span is not None
            and start <= o.speaker_span[0]
            and o.speaker_span[1] <= end
            and start <= o.content_span[0]
            and o.content_span[1] <= end
            and fold(o.speaker or "") != fold(q.speaker or "")
            for o in quotes
            if o is not q and o.article == q.article
        )

    return [q for q in quotes if not relays(q)]


# --------------------------------------------------------------------------- confidence


def cue_class(lemma: str, rule: str) -> str:
    """``speech``, ``naming``, ``noun``, ``label``, ``cognition`` or ``act`` (:data:`CUE_FACTOR`)."""
    if rule == "label":
        return "label"
    if lemma in NAMING_LEMMAS:
        return "naming"
    if rule == "transcript" or lemma in SPEECH_LEMMAS:
        return "speech"
    if rule == "noun":
        return "noun"
    return "cognition" if lemma in COGNITION_LEMMAS else "act"


def speaker_kind(attr: _Attr, entity: Entity | None) -> str:
    """One of the keys of :data:`SPEAKER_FACTOR` for an attribution and the entity it resolved to."""
    if attr.speaker_span is None or not attr.speaker_text.strip():
        return "unknown"
    if attr.speaker_text.lower() in PRONOUNS:
        return "pronoun" if entity is not None else "other"
    if entity is not None:
        return "place" if entity.kind == "place" else "entity"
    if attr.speaker_pos == "PROPN":
        # an unresolved name in capitals is mostly a dateline ("WASHINGTON — … said"), not a speaker
        return "other" if attr.speaker_text.isupper() and len(attr.speaker_text) > 4 else "name"
    if attr.speaker_pos == "NOUN":
        role = attr.speaker_lemma in ROLE_NOUNS or attr.speaker_text.lower().split()[-1] in ROLE_NOUNS
        return "role" if role else "noun"
    return "other"


def quote_confidence(cue: str, speaker: str, shape: str, rule: str) -> float:
    """The product of the factors of :data:`CUE_FACTOR`, :data:`SPEAKER_FACTOR`,
    :data:`SHAPE_FACTOR` and :data:`RULE_FACTOR` (docs/confidence.md), rounded to 3 places."""
    value = CUE_FACTOR[cue] * SPEAKER_FACTOR[speaker] * SHAPE_FACTOR[shape] * RULE_FACTOR.get(rule, 1.0)
    return round(min(1.0, max(0.0, value)), 3)


def _same_statement(a: Quote, b: Quote) -> bool:
    """Two cues of one sentence that found one statement of one speaker ("X said the visit would
    increase the trust, which he said had …"): the same speaker, one content inside the other."""
    if a.article != b.article or not a.speaker or (a.entity or a.speaker) != (b.entity or b.speaker):
        return False
    inter = _overlap(a.content_span, b.content_span)
    shorter = min(a.content_span[1] - a.content_span[0], b.content_span[1] - b.content_span[0])
    if shorter > 0 and inter >= 0.8 * shorter:
        return True
    # the same words again elsewhere in the article (a standfirst repeated in the body)
    short, long = sorted((_key(a.content), _key(b.content)), key=len)
    return len(short.split()) >= SHORT_WORDS and short in long


def _key(content: str) -> str:
    return " ".join(fold(content).replace("“", '"').replace("”", '"').strip(' .,"').split())


def one_per_statement(quotes: Sequence[Quote]) -> list[Quote]:
    """Drop a quote that repeats a more confident (or, at a tie, longer) one of the same statement."""
    ranked = sorted(quotes, key=lambda q: (-q.confidence, q.content_span[0] - q.content_span[1]))
    kept: list[Quote] = []
    # only quotes of one speaker in one article can be one statement: compare within those
    by_speaker: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for q in ranked:
        same = by_speaker[(q.article, q.entity or q.speaker)]
        if not (q.speaker and any(_same_statement(q, k) for k in same)):
            kept.append(q)
            same.append(q)
    return sorted(kept, key=lambda q: q.content_span)


# --------------------------------------------------------------------------- statements


def _statement_id(quote: Quote) -> str:
    key = f"{quote.article}:{quote.content_span[0]}:{quote.content_span[1]}"
    return "st-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def link_statements(
    quotes: Sequence[Quote], settings: QuoteSettings, embedder: Embedder | None = None
) -> tuple[Quote, ...]:
    """Give quotes of one speaker in different articles with close contents one statement id
    (``embedder``: the run's; MiniLM when not given)."""
    if not quotes:
        return ()
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        if q.speaker:
            by_speaker[q.entity or fold(q.speaker)].append(i)
    sets = UnionFind(len(quotes))
    candidates = [idx for idx in by_speaker.values() if len({quotes[i].article for i in idx}) > 1]
    flat = sorted({i for idx in candidates for i in idx})
    if flat:
        vectors = (embedder or make_embedder("minilm")).encode([quotes[i].content for i in flat])
        row = {i: n for n, i in enumerate(flat)}
        for idx in candidates:
            for a_pos, a in enumerate(idx):
                for b in idx[a_pos + 1 :]:
                    if quotes[a].article == quotes[b].article:
                        continue
                    sim = float(vectors[row[a]] @ vectors[row[b]])
                    if sim >= settings.link_similarity:
                        sets.union(a, b)
    ids: dict[int, str] = {}
    for members in sets.groups():
        first = min(members, key=lambda i: (quotes[i].article, quotes[i].content_span))
        for i in members:
            ids[i] = _statement_id(quotes[first])
    return tuple(replace(q, statement=ids[i]) for i, q in enumerate(quotes))


# --------------------------------------------------------------------------- entry point


def find_quotes(
    articles: Sequence[Article],
    entities: Sequence[Entity],
    settings: QuoteSettings | None = None,
    parsed: Mapping[str, ParsedArticle] | None = None,
    *,
    link: bool = True,
    embedder: Embedder | None = None,
) -> tuple[Quote, ...]:
    """Every attribution in a story's articles: direct, mixed and indirect, with speaker, cue and
    content spans (offsets into ``article.text``), speakers mapped to ``entities`` (as returned by
    :func:`~synoptic.nlp.entities.resolve_entities` for the same articles), and one statement id per
    statement across articles (``link=False`` skips the embedding step; every quote then has its
    own; ``embedder``: the run's, MiniLM when not given).

    Pass the ``parsed`` articles used for entity resolution to parse each article once.
    Quotes come in article order, then text order.
    """
    settings = settings or QuoteSettings()
    if not articles:
        return ()
    parsed = parsed if parsed is not None else parse_articles(articles, EntitySettings())
    index = mention_index(entities)
    quotes: list[Quote] = []
    for article in articles:
        p = parsed.get(article.id)
        if p is None:
            continue
        quotes.extend(_resolve(p, article_attributions(p), index.get(article.id, []), settings))
    if link:
        return link_statements(quotes, settings, embedder)
    return tuple(replace(q, statement=_statement_id(q)) for q in quotes)
