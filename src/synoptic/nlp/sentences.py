"""Rule-based sentence splitting with character spans (fast, deterministic, no model).

Splits each paragraph of an article at ``.``/``!``/``?``/``…`` (plus closing quotes and
brackets) followed by whitespace and an upper-case letter, digit, opening quote or bracket,
currency sign or web address, except after a title ("Mr.", "Gen."), a number's abbreviation
before its number ("No. 15"), and an abbreviation or initials ("U.S.", "p.m.", "Inc.", "J.")
unless the next word usually opens a sentence ("in the U.S. Then ..."). Paragraph breaks always
end a sentence. Spans index the article's cleaned text. Measured against spaCy and pysbd on
hand-checked news in ``bench/results/sentences.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from synoptic.records import Article, Sentence

TITLES = frozenset(
    """mr mrs ms dr prof st mt ft gen gov sen rep col lt sgt capt cmdr adm maj rev hon pres supt msgr
    pt e.g i.e vs approx est cf""".split()
)
"""Abbreviations that stand before what they qualify ("Mr. Xi", "Gen. Flynn", "Pt. II", "e.g.
binder clips"): never the end of a sentence."""

ABBREVIATIONS = frozenset(
    """sr jr inc ltd co corp bros dept univ assn etc al jan feb mar apr jun jul aug sep sept oct nov
    dec u.s u.k u.n a.m p.m""".split()
)
"""Abbreviations that may end a sentence ("... owned by CBS Studios Inc. This website", "at
10:45 p.m. A stray bullet", "in the U.S. Then") and mostly do not ("U.S. Soccer", "6 p.m.
Wednesday"): a sentence ends after one only when the next word is a :data:`STARTERS` word."""

STATES = frozenset(
    """ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo""".split()
)
"""US state abbreviations (AP style): mostly at the end of a sentence ("... in Jacksonville, Fla.
Collier ...") or of a dateline, where a bracket follows ("STORRS, Conn. (WTNH) — Eight people");
a sentence ends after one unless a bracket follows."""

NUMBERED = frozenset("no nos vol vols art fig figs pp ch sec op".split())
"""Abbreviations before a number ("No. 15", "Vol. 2"): no sentence ends between the two ("Sorry.
No. I'm not" still ends one after "No.", the next word not being a number)."""

STARTERS = frozenset(
    """the a an he she it they we you his her its their our my this that these those there here
    but and or so yet then now in on at as after before when while if since during for from with
    by what who how why where which some many most all both not one meanwhile however also still
    according""".split()
)
"""Words that open sentences and seldom follow an abbreviation inside one (closed-class words,
the orthographic cue of Kiss and Strunk's Punkt): after an :data:`ABBREVIATIONS` word, dotted
initials ("D.C.", "G.K.") or a single initial, a sentence ends only before one of these."""

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+["'”’)\]]*|["'”’]\s*(?=[A-Z]))\s+"""
    r"""(?=["'“‘(\[]?[A-Z0-9]|“\s[A-Z]|[$£€]\d|https?://)""",
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_ASKED = re.compile(r"[?!]+[\"'”’]$")
_ATTRIBUTION = re.compile(
    r"(?!(?:He|She|It|They|We|I|You|This|That)\s)(?:[A-Z][\w.'’-]*\s+){1,3}(?:said|says|asked|asks|added|adds|told|wrote|writes|cried|shouted|"
    r"replied|replies|exclaimed|recalled|insisted|continued|tweeted)\b"
)
"""A name and a verb of saying after a quoted question or exclamation (\"That would be you?\"
Borger asked.): the attribution of the quotation, in the same sentence. A pronoun opens a new
sentence instead (\"Fire Snipes!\" He said the office's problems ...): the attribution would be
in lower case."""
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_LOOK = 24
"""Characters after a stop read to decide on it (the next word)."""
_INITIAL = re.compile(r"[A-Z]\.")
_NEXT_WORD = re.compile(r"[\"'“‘(\[]?\s?([A-Za-z]+)")


def _continues(word: str, after: str) -> bool:
    """Whether the sentence goes on past ``word.`` (the word before a single full stop, lower
    case) when ``after`` (the text after the stop's whitespace) follows."""
    if word in TITLES:
        return True
    if word in NUMBERED:
        return after[:1].isdigit()
    if word in STATES:
        return after[:1] in "(["
    initials = _INITIALS.fullmatch(word) is not None
    if initials and _INITIAL.match(after):
        return True  # "J. R. R. Tolkien", "L. A." (spaced initials)
    if initials or word in ABBREVIATIONS:
        nxt = _NEXT_WORD.match(after)
        return nxt is None or nxt.group(1).lower() not in STARTERS
    return False


def split_text(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute, shifted by ``offset``) of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end("end")
        if not m.group("end").startswith(("”", "’", '"', "'")) or m.group("end")[0] in ".!?…":
            before = _WORD_BEFORE.search(text[start:end])
            if (
                before is not None
                and m.group("end") == "."
                and _continues(before.group(1).lower(), text[m.end() : m.end() + _LOOK])
            ):
                continue
            if _ASKED.search(m.group("end")) and _ATTRIBUTION.match(text, m.end(), m.end() + 3 * _LOOK):
                continue
        else:
            # a closing quote with no terminal punctuation before it is not a boundary
            continue
        segment = text[start:end].strip()
        if segment:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((offset + start + lead, offset + start + lead + len(segment)))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(tail.strip())))
    return spans


def split_sentences(article: Article) -> list[Sentence]:
    """All sentences of an article's cleaned text, in order."""
    sentences: list[Sentence] = []
    for p_start, p_end in article.paragraph_spans():
        for s, e in split_text(article.text[p_start:p_end], p_start):
            sentences.append(Sentence(article.id, len(sentences), (s, e), article.text[s:e]))
    return sentences


CONTEXT_START = re.compile(
    r"^(?:[\"'“‘(]\s*)?(?:he|she|it|they|them|his|her|its|their|this|these|those|that|there|such|but|and|"
    r"or|so|also|however|meanwhile|still|yet|instead|then|thus|moreover|furthermore|besides|which|"
    r"both|another|other|others|the two|the latter|the former)\b",
    re.IGNORECASE,
)
"""A sentence that opens with a pronoun or a connective leans on the sentence before it ("They
also share ...", "However, he added ..."): the summary weighs it less, the cross-check does not
show it as a stand-alone claim."""


class SentenceSplits:
    """The sentences of each article of one story, split once and shared by every stage of its
    dossier (the timeline, the cross-check's units, the summary's candidates), which each split
    the same articles again before.

    Held by one dossier build, never by the module (no process-wide state): an article is known
    by its id and text. A stage that reads a prefix of an article (the dossier's bounded copy of
    a long article, cut at a paragraph break) gets the whole article's sentences that lie in the
    prefix, which are the prefix's own sentences (every sentence lies within its paragraph and
    paragraph breaks always end one); a prefix cut inside a paragraph is split anew.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, tuple[Sentence, ...]]] = {}

    def of(self, article: Article) -> tuple[Sentence, ...]:
        """The sentences of ``article``, as :func:`split_sentences` gives them."""
        known = self._known.get(article.id)
        if known is not None:
            text, sentences = known
            if text is article.text or text == article.text:
                return sentences
            if len(article.text) < len(text) and text.startswith(article.text):
                if _ends_paragraph(text, len(article.text)):
                    keep = len(article.text)
                    return tuple(s for s in sentences if s.span[1] <= keep)
                return tuple(split_sentences(article))
        sentences = tuple(split_sentences(article))
        if known is None or len(article.text) > len(known[0]):
            self._known[article.id] = (article.text, sentences)
        return sentences


def _ends_paragraph(text: str, at: int) -> bool:
    """Whether ``text[:at]`` ends where a paragraph of ``text`` ends: only whitespace, with a
    paragraph break in it, between ``at`` and the next non-space character (or the end)."""
    rest = text[at:]
    gap = rest[: len(rest) - len(rest.lstrip())]
    return at > 0 and not text[at - 1].isspace() and (gap == rest or "\n\n" in gap)


def sentences_of(article: Article, splits: SentenceSplits | None) -> Sequence[Sentence]:
    """The sentences of ``article`` from ``splits`` when a dossier shares them, else split now
    (each stage stays usable on its own)."""
    return splits.of(article) if splits is not None else split_sentences(article)
