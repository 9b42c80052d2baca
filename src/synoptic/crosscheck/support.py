"""Support: does a span of one article state the same fact as a given statement?

One check used wherever an article is credited with a fact: claim citations (which outlets
report a claim), summary citations (which articles back a summary sentence) and conflicts (two
spans about one fact that differ in one value). Similarity alone is not enough: "Xi invited Putin
to visit China" and "Xi had been invited to Russia by Putin" are close in wording and opposite in
fact. A span *supports* a statement when

- it states the same predicate: the same main verb, or (for a nominal statement, "Putin's visit
  to Mariupol") that verb as a noun, or much content in common (names, stop words and reporting
  verbs left out, light stemming, a few lemmas: "died"/"killed"/"dead"), or an embedding cosine
  high enough for a paraphrase;
- about the same participants: the people, organisations and countries it names (folded to the
  story's canonical entities; capitals and demonyms to their country, so "Beijing" meets "China")
  mostly recur, and no different person acts;
- and nothing differs: no different value for one slot (a quantity of one unit, a date, a year,
  an age, a clock time), relative time ("this year" / "last year") or place ("in Moscow" / "in
  Beijing"), no negation on one side only of much the same words, no swapped roles on a directed
  verb ("A invited B" vs "B invited A", "B was invited by A").

A statement with too little content of its own ("Beijing has denied the allegations.") cannot
be checked against another article at all: what "the allegations" are depends on the text around
it, so it is never credited across articles.

The score (:attr:`Support.score`, in [0, 1]) is what citations carry as their ``confidence``;
``accepted`` is the decision. Pure functions of the texts and a precomputed cosine, so the same
check runs in the cross-check and for the summary's citations (:class:`SupportCiter`), with the
embedder of the run (MiniLM, or hashing with ``--fast``). Rule-based, without a parse: it works
the same with and without the spaCy stage.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from synoptic.clean.shape import is_headline_like
from synoptic.config import SupportSettings
from synoptic.crosscheck.units import Slot, find_slots, slot_differences
from synoptic.nlp.embeddings import Embedder
from synoptic.nlp.sentences import CONTEXT_START
from synoptic.nlp.text import STOP_WORDS, WORD, smooth_idf, word_key
from synoptic.records import Entity, Sentence, Span

__all__ = [
    "Statement",
    "Support",
    "SupportCiter",
    "SupportContext",
    "is_proposition",
    "proposition_quality",
    "support",
]

_WORD = WORD
_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w’'-]*)*")
_QUOTED = re.compile(r"[“\"‘][^“”\"‘’\n]*[”\"’]")

STOP = STOP_WORDS | frozenset(
    """above again against ago all am amid among any because being below between both did does doing down
    dr during each even few further having here hers herself him himself how however if itself just me
    meanwhile mr mrs ms must my myself no nor off once one only other our ours ourselves out own per same
    shall should so some still theirs them themselves through too two under until up upon very via while
    whose why within without yet your yours yourself yourselves""".split()
)
"""Function words: they carry no fact of their own. The shared base and the support check's own
(pronouns, quantifiers, honorifics, "amid", "ago"); "said" is not one of them here, it is in
:data:`REPORTING`, which frames a fact rather than being dropped with the function words."""

REPORTING = frozenset(
    """say said says saying tell told tells telling add added adds according report reported reports
    reporting state stated states statement claim claimed claims accord note noted notes write wrote
    writes describe described describes call called calls""".split()
)
"""Words of attribution: "X said" and "according to X" frame a fact, they do not state it."""

NEGATION_REACH = 8
"""Words after a negator that it bears on."""
NEGATORS = frozenset({"not", "n't", "never", "neither", "nor", "cannot", "nobody", "nothing", "none"})
"""Outside quoted terms ("no limits" is a name for a friendship, not a negation)."""

SYMMETRIC = frozenset(
    """meet met meeting talk talks speak spoke spoken hold held discuss discussed sign signed join joined
    agree agreed share shared exchang exchange""".split()
)
"""Predicates without a direction: "A met B" is "B met A"."""

DEMONYMS: Mapping[str, str] = {
    "chinese": "china",
    "russian": "russia",
    "ukrainian": "ukraine",
    "american": "united states",
    "us": "united states",
    "u.s.": "united states",
    "british": "united kingdom",
    "english": "united kingdom",
    "scottish": "united kingdom",
    "welsh": "united kingdom",
    "irish": "ireland",
    "zealand": "new zealand",
    "zealander": "new zealand",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "swedish": "sweden",
    "polish": "poland",
    "chilean": "chile",
    "argentine": "argentina",
    "egyptian": "egypt",
    "saudi": "saudi arabia",
    "pakistani": "pakistan",
    "afghan": "afghanistan",
    "iraqi": "iraq",
    "lebanese": "lebanon",
    "nigerian": "nigeria",
    "kenyan": "kenya",
    "south african": "south africa",
    "uk": "united kingdom",
    "japanese": "japan",
    "german": "germany",
    "french": "france",
    "indian": "india",
    "israeli": "israel",
    "palestinian": "palestine",
    "iranian": "iran",
    "syrian": "syria",
    "turkish": "turkey",
    "european": "europe",
    "korean": "korea",
    "italian": "italy",
    "spanish": "spain",
    "canadian": "canada",
    "australian": "australia",
    "mexican": "mexico",
    "brazilian": "brazil",
    "beijing": "china",
    "moscow": "russia",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "washington": "united states",
    "tokyo": "japan",
}
"""Adjectives of nationality, and capitals used for their government ("Beijing has denied"),
folded to the country: the same participant in other words."""
NOUN_FORMS = frozenset(
    {"beijing", "moscow", "kyiv", "kiev", "washington", "tokyo", "us", "u.s.", "uk", "zealand"}
)
"""The keys of :data:`DEMONYMS` that name a country (or its government); the others are
adjectives ("an Australian man"), which describe someone rather than name who acts."""

NOT_NAMES = frozenset(
    """the a an it its this that these those he she they we i you his her their our in on at for
    but and or so as if when while after before during since until by with from to of also however
    meanwhile yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    president prime minister secretary foreign state leader chief spokesman spokeswoman spokesperson
    former deputy general mr mrs ms dr sir new western eastern northern southern last next
    earlier later recently unconfirmed despite under both one two three four five six seven eight nine
    ten first second third""".split()
)
"""Capitalised words that are not names (sentence starts, titles, days, months)."""

_SUBORDINATE = re.compile(
    r"^(?:that|which|who|whom|whose|where|when|while|though|although|because|as|after|before|during|"
    r"including|following|followed|with|without|by|for|from|in|on|at|to|of|nor|amid|"
    r"despite|since|until|if|whether|than|via|into|unlike|like|according|such|adding|saying|"
    r"[a-z]+ing)\b",
    re.IGNORECASE,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|should|shall|may|might|must|does|"
    r"do|did|[a-z]{2,}ed|[a-z]{3,}[^s']s|said|says|told|met|made|took|gave|went|came|saw|held|left|"
    r"became|began|brought|kept|led|lost|paid|put|ran|sent|set|spoke|stood|thought|won|wrote|hit|"
    r"cut|let|quit|sought|fought|bought|caught|taught|built|felt|heard|knew|grew|drew|threw|flew|"
    r"rose|fell|broke|chose|drove|ate|forgot|got|hid|meant|sold|struck|swore|tore|wore|woke|'s|’s)\b",
)
_ANAPHORIC = re.compile(
    r"\b(?:the|these|those|such|this|that)\s+(?:allegations?|accusations?|claims?|reports?|charges?|moves?|"
    r"decisions?|plans?|proposals?|comments?|remarks?|statements?|requests?|ideas?|issues?|matters?|"
    r"incidents?|events?|steps?|measures?|efforts?)\b(?!\s+(?:of|that|by|from|about|to)\b)"
    r"|\b(?:something|it|this|that)\s+(?:\w+\s+)?(?:has|had|have)\s+(?:denied|rejected|confirmed)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(r"\b(?:in|at)\s+$", re.IGNORECASE)
_PLACE_FEATURES = frozenset(
    "mount mt mountain national park city county state province region island islands lake river "
    "valley district the of".split()
)
"""Words that name what kind of place a name is, not which: "Aoraki Mount Cook" and "Aoraki / Mt.
Cook National Park" are one place."""
_PLACE_QUALIFIERS = frozenset(
    "north south east west northern southern eastern western central upper lower new old great "
    "little equatorial".split()
)
"""Words that make another place of a name: "South Korea" is not "Korea", "New York" not "York"."""
_MAIN_CLAUSE_CUT = re.compile(
    r"\s(?:since|after|before|when|while|because|although|though|amid|despite|following)\s"
    r"|,\s+(?:his|her|their|its|which|who|where)\s|\s[—–]\s",
    re.IGNORECASE,
)
"""Where a sentence's main clause ends: a subordinate clause, an appositive ("..., his first visit
since ...") or a dash aside follows."""
_RELATIVE = re.compile(r"\b(last|this|next|coming|past)\s+(year|month|week)\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"^(?:[\"'“‘]\s*)?(?:it|they|he|she|this|these|those|we|i)\b", re.IGNORECASE)

LEMMAS: Mapping[str, str] = {
    # irregular forms
    "fell": "fall", "fallen": "fall", "met": "meet", "held": "hold", "told": "tell", "said": "say",
    "made": "make", "took": "take", "taken": "take", "gave": "give", "given": "give", "went": "go",
    "gone": "go", "came": "come", "saw": "see", "seen": "see", "left": "leave", "began": "begin",
    "begun": "begin", "brought": "bring", "kept": "keep", "led": "lead", "lost": "lose", "paid": "pay",
    "sent": "send", "spoke": "speak", "spoken": "speak", "stood": "stand", "thought": "think",
    "won": "win", "wrote": "write", "written": "write", "sought": "seek", "fought": "fight",
    "bought": "buy", "caught": "catch", "built": "build", "felt": "feel", "heard": "hear",
    "knew": "know", "known": "know", "grew": "grow", "drew": "draw", "threw": "throw", "flew": "fly",
    "rose": "rise", "broke": "break", "broken": "break", "chose": "choose", "drove": "drive",
    "struck": "strike", "shot": "shoot", "hit": "hit", "ran": "run", "became": "become",
    # one predicate in other words, for the facts news repeats most
    "died": "die", "dies": "die", "dead": "die", "death": "die", "deaths": "die", "killed": "die",
    "kills": "die", "kill": "die", "killing": "die", "dying": "die", "passed": "pass",
    "arrested": "arrest", "detained": "arrest", "detain": "arrest", "arrest": "arrest",
    "injured": "injure", "wounded": "injure", "hurt": "injure",
}  # fmt: skip
"""Irregular forms to their lemma, and a few words of one news predicate to one stem ("died",
"dead", "killed"), so that the same fact told with another word still shares its predicate."""


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper (no model): ``invited``/``invitation``/``invites`` -> ``invit``."""
    w = word.casefold().replace("’", "'")
    if w in LEMMAS:
        return LEMMAS[w]
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s", "e"):
        if suffix == "s" and w.endswith("ss"):
            continue  # "discuss", not "discus"
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ied", "ies"):
                w += "y"
            break
    return w


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Statement:
    """What one span states, in comparable form."""

    article: str
    span: Span
    text: str
    content: frozenset[str]
    """Content stems: no names, function words or reporting verbs."""
    content_weight: float
    """The IDF weight of ``content``, summed (in the story's context)."""
    names: frozenset[str]
    """Participant keys: canonical entity ids, or folded names and countries."""
    agents: frozenset[str]
    """The participants named as arguments, not after a preposition ("under Xi")."""
    actors: frozenset[str]
    """The people, organisations and countries it names as nouns (not "Australian" in "an
    Australian man"): who is involved, for the participant check."""
    slots: tuple[Slot, ...]
    negated: bool
    negation_scope: frozenset[str]
    """What a negation bears on: the content stems and participant keys of the few words after
    each negator ("not a single phone call to ... Zelensky")."""
    quoted: bool
    """Mostly a direct quotation: its fact is the speaker's words."""
    roles: tuple[tuple[str, str | None, str | None], ...]
    """``(predicate stem, agent key, patient key)`` for each directed predicate found."""
    words: int
    predicates: frozenset[str]
    """Stems of its main verbs (see :func:`predicates`)."""
    places: frozenset[str]
    """Participants named after "in"/"at": where it happened."""
    when: frozenset[str]
    """Relative times it states, normalised: ``last year``, ``this year``, ``next week``."""
    anaphoric: bool
    """Leans on an earlier sentence for what it is about ("the allegations", "the move")."""
    main_content: frozenset[str]
    """The content stems of its main clause, when a subordinate clause or an appositive without a
    quoted term follows it (empty otherwise): "Xi heads to Moscow next week" in "Xi heads to
    Moscow next week, his first visit since Putin launched the invasion"."""


@dataclass(frozen=True, slots=True)
class Support:
    score: float
    """In [0, 1]: how much the span looks like a statement of the same fact."""
    accepted: bool
    reason: str
    """Why it was refused (``""`` when accepted): ``slot``, ``negation``, ``roles``,
    ``underspecified``, ``participants``, ``predicate``, ``time``, ``place``, ``weak``."""


class SupportContext:
    """Per-story knowledge the check needs: canonical entities and word weights (IDF)."""

    def __init__(self, entities: Sequence[Entity], texts: Iterable[str]) -> None:
        alias: dict[str, str] = {}
        for e in entities:
            # a place is keyed by its country name, so that "Russia", "Russian" and "Moscow" meet
            folded = word_key(e.name, _WORD)
            ident = DEMONYMS.get(folded, folded) if e.kind == "place" else e.id
            for name in (e.name, *e.aliases):
                key = word_key(name, _WORD)
                if key:
                    alias.setdefault(key, ident)
            parts = e.name.split()
            if e.kind == "person" and len(parts) >= 2:
                alias.setdefault(parts[-1].casefold(), e.id)  # "Xi" for Xi Jinping
        self.alias: Mapping[str, str] = alias
        self.people = frozenset(e.id for e in entities if e.kind == "person")
        countries = set(DEMONYMS.values()) | {word_key(e.name, _WORD) for e in entities if e.kind == "place"}
        self.actors = frozenset(
            {e.id for e in entities if e.kind in ("person", "organisation")}
            | {DEMONYMS.get(c, c) for c in countries if DEMONYMS.get(c, c) in DEMONYMS.values()}
        )
        df: dict[str, int] = {}
        n = 0
        for text in texts:
            n += 1
            for w in {stem(w) for w in _WORD.findall(text)}:
                df[w] = df.get(w, 0) + 1
        self.documents = max(1, n)
        self.df: Mapping[str, int] = df
        # memos of this story's context (one context per story: nothing shared across stories)
        self._weights: dict[str, float] = {}
        self._keys: dict[str, str | None] = {}
        self._read: dict[str, Statement] = {}
        self._bags: dict[str, frozenset[str]] = {}

    def weight(self, word: str) -> float:
        if word not in self._weights:
            self._weights[word] = smooth_idf(self.df.get(word, 0), self.documents)
        return self._weights[word]

    def weighted(self, words: Iterable[str]) -> float:
        return math.fsum(self.weight(w) for w in words)  # any order of a set: the same sum

    def shared_rarity(self, a: str, b: str) -> float:
        """How much two texts share beyond the story's common words: the summed IDF (without its
        offset, so a word of every article adds 0) of the word stems both hold, names included.
        Two statements that share only what every article says ("Xi", "Putin", "visit") are
        tied by nothing but the topic."""
        shared = self._bag(a) & self._bag(b)
        return math.fsum(self.weight(w) - 1.0 for w in shared)

    def _bag(self, text: str) -> frozenset[str]:
        found = self._bags.get(text)
        if found is None:
            # short common words ("top", "set") tie nothing; short names ("ICC", "Xi") may
            found = self._bags[text] = frozenset(
                stem(w)
                for w in _WORD.findall(text)
                if (len(w) > 3 or (len(w) > 1 and w[0].isupper())) and w.casefold() not in STOP
            )
        return found

    def key(self, name: str) -> str | None:
        """The participant key of a capitalised phrase (``None`` when it is not a name)."""
        if name not in self._keys:
            self._keys[name] = self._key(name)
        return self._keys[name]

    def _key(self, name: str) -> str | None:
        words = list(_WORD.findall(name.casefold()))
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        if not words:
            return None
        phrase = " ".join(words)
        if phrase in DEMONYMS:  # before the entities: "Moscow" the government is Russia
            return DEMONYMS[phrase]
        if phrase in self.alias:
            return self.alias[phrase]
        last = words[-1].removesuffix("'s").removesuffix("’s")
        if last in self.alias:
            return self.alias[last]
        if words[0] in DEMONYMS and len(words) == 1:
            return DEMONYMS[words[0]]
        return last if last not in NOT_NAMES and last not in STOP else None

    def _negation(self, text: str) -> tuple[bool, frozenset[str]]:
        """Whether ``text`` (quotations left out) negates, and the scope of its negations."""
        tokens = re.findall(r"[\w'’]+", text.replace("n’t", " n't").replace("n't", " n't"))
        scope: set[str] = set()
        negated = False
        for i, token in enumerate(tokens):
            if token.casefold() in NEGATORS:
                negated = True
                for word in tokens[i + 1 : i + 1 + NEGATION_REACH]:
                    key = self.key(word) if word[:1].isupper() else None
                    scope.add(key if key is not None else stem(word))
        return negated, frozenset(scope)

    @staticmethod
    def _content(text: str, name_words: set[str]) -> frozenset[str]:
        return frozenset(
            stem(w)
            for w in _WORD.findall(text)
            if (low := w.casefold()) not in STOP
            and low not in REPORTING
            and stem(w) not in REPORTING
            and low not in name_words
            and not w.isdigit()
            and len(low) > 2
        )

    def holder(self, text: str, offset: int, span: Span, reach: int = 60) -> str | None:
        """The participant a value in ``text`` (at absolute ``span``; ``offset`` is where ``text``
        starts) belongs to: the nearest name within ``reach`` characters, ``None`` if none."""
        at = span[0] - offset
        best: tuple[int, str] | None = None
        for m in _NAME.finditer(text):
            key = self.key(m.group(0))
            if key is None:
                continue
            distance = at - m.end() if m.end() <= at else m.start() - (span[1] - offset)
            if 0 <= distance <= reach and (best is None or distance < best[0]):
                best = (distance, key)
        return best[1] if best else None

    def statement(
        self,
        article: str,
        span: Span,
        text: str,
        *,
        max_term_words: int = 6,
        slots: tuple[Slot, ...] | None = None,
    ) -> Statement:
        """What ``text`` (at ``span`` of ``article``) states; ``slots`` when already found.

        Read once per text (a story's copies repeat sentences, and the cross-check and the
        summary's citations ask for many of the same); only the place and the values, which
        the text alone does not fix (relative dates resolve against each article's date),
        are each caller's own."""
        slots = find_slots(text, span[0], max_term_words) if slots is None else slots
        read = self._read.get(text)
        if read is None:
            read = self._read[text] = self._statement(article, span, text, slots)
        if (read.article, read.span, read.slots) != (article, span, slots):
            read = dataclasses.replace(read, article=article, span=span, slots=slots)
        return read

    def _statement(self, article: str, span: Span, text: str, slots: tuple[Slot, ...]) -> Statement:
        names: list[tuple[int, str]] = []  # (position in text, key)
        actors: set[str] = set()
        for m in _NAME.finditer(text):
            first = m.group(0).split()[0]
            if m.start() == 0 and first.casefold() in STOP | NOT_NAMES and len(m.group(0).split()) == 1:
                continue
            key = self.key(m.group(0))
            if key is None:
                continue
            names.append((m.start(), key))
            phrase = m.group(0).casefold()
            adjective = phrase in DEMONYMS and phrase not in NOUN_FORMS
            if key in self.actors and not adjective:
                actors.add(key)
        for word in re.finditer(r"\b[A-Z][a-z]+\b", text):
            folded = word.group(0).casefold()
            if folded in DEMONYMS and (word.start(), DEMONYMS[folded]) not in names:
                names.append((word.start(), DEMONYMS[folded]))  # "Chinese President Xi": China too
        names.sort()
        name_words = {w for m in _NAME.finditer(text) for w in _WORD.findall(m.group(0).casefold())}
        content = self._content(text, name_words)
        cut = _MAIN_CLAUSE_CUT.search(text)
        # the main clause is the point unless the rest frames a fact of its own with a quoted
        # term ("Putin invaded Ukraine shortly after they declared a 'no limits' partnership")
        main = (
            text[: cut.start()]
            if cut is not None
            and len(text[: cut.start()].split()) >= 4
            and not _QUOTED.search(text, cut.start())
            else text
        )
        main_content = self._content(main, name_words) if main is not text else frozenset()
        outside_text = _outside_quotes(text)
        negated, negation_scope = self._negation(outside_text)
        roles = _roles(text, names)
        content_weight = self.weighted(content)
        return Statement(
            content_weight=content_weight,
            predicates=predicates(text),
            places=frozenset(k for p, k in names if _LOCATIVE.search(text[max(0, p - 4) : p])),
            when=frozenset(_relative_key(m.group(1), m.group(2)) for m in _RELATIVE.finditer(text)),
            anaphoric=_ANAPHORIC.search(text) is not None,
            main_content=main_content if main_content != content else frozenset(),
            article=article,
            span=span,
            text=text,
            content=content,
            names=frozenset(k for _, k in names),
            agents=frozenset(k for p, k in names if _is_argument(text, p)),
            actors=frozenset(actors),
            slots=slots,
            negated=negated,
            negation_scope=negation_scope,
            quoted=sum(len(m.group(0)) for m in _QUOTED.finditer(text)) >= 0.5 * len(text),
            roles=roles,
            words=len(text.split()),
        )


_BE = frozenset({"was", "were", "been", "being", "is", "are", "be"})
_AUX = (
    frozenset(
        {
            "has",
            "have",
            "had",
            "will",
            "would",
            "could",
            "can",
            "should",
            "may",
            "might",
            "must",
            "did",
            "does",
            "do",
            "shall",
        }
    )
    | _BE
)
_LIGHT = frozenset(
    """be is are was were been being am have has had do does did come comes came get gets got go goes
    went seem seems seemed become becomes became remain remains remained make makes made take takes
    took""".split()
)
"""Verbs that carry little of the fact ("It is ...", "It comes after ..."): no main predicate."""
_DETERMINERS = frozenset(
    """the a an his her their its this that these those our my your first initial annual second last
    next every each any some no""".split()
)
_ING_NOUNS = frozenset(
    """meeting building morning evening during including according following morning warning
    something nothing anything everything ceiling wedding hearing briefing funding spending housing
    training bombing shooting killing bidding ruling""".split()
)
"""-ing words that are nouns or prepositions more often than verbs."""
_BY_AGENT = re.compile(r"[^.;]{0,60}?\bby\s+(?:Mr\.?\s+|Ms\.?\s+|President\s+)?([A-Z][\w’'-]+)")
_PREPOSITIONS = frozenset(
    "in at to from for with of on near into onto over under between against about across through by".split()
)
_IRREGULAR = frozenset(
    """met held told made took gave went came saw left became began brought kept led lost paid put ran
    sent set spoke stood thought won wrote hit cut sought fought bought caught built felt heard knew
    grew drew threw flew rose fell broke chose drove struck""".split()
)


def _verbs(tokens: Sequence[re.Match[str]]) -> list[int]:
    """Indices of verb-like tokens: after an auxiliary, an -ed form, an irregular past, or a gerund
    that is not a noun ("by refusing", "the ICC issuing", not "the meeting")."""
    out = []
    for i, tok in enumerate(tokens):
        word = tok.group(0).casefold()
        if not word.isalpha() or (word in STOP and word not in _LIGHT) or (tok.group(0)[0].isupper() and i):
            continue
        prev = tokens[i - 1].group(0).casefold() if i else ""
        if prev == "to" and word not in _IRREGULAR and not word.endswith("ed"):
            continue  # an infinitive ("to visit China") is a complement, not the predicate
        if (
            word in _LIGHT
            or word in _IRREGULAR
            or (word.endswith("ed") and len(word) > 3)
            or prev in _AUX
            or (
                word.endswith("ing") and len(word) > 5 and prev not in _DETERMINERS and word not in _ING_NOUNS
            )
        ):
            out.append(i)
    return out


def predicates(text: str) -> frozenset[str]:
    """Stems of the verbs that carry the facts of a text (no auxiliaries, copulas, light or
    reporting verbs, no infinitive complements): ``invit`` for "Xi has invited Putin to visit"."""
    tokens = list(re.finditer(r"[\w’'-]+", _outside_quotes(text)))
    out = set()
    for i in _verbs(tokens):
        word = tokens[i].group(0).casefold()
        if word in _AUX or word in _LIGHT or word in REPORTING or stem(word) in REPORTING:
            continue
        out.add(stem(word))
    return frozenset(out)


def _is_argument(text: str, pos: int) -> bool:
    """A name that can be an agent or patient: not the object of a preposition ("in Beijing")."""
    before = text[max(0, pos - 20) : pos].split()
    return not before or before[-1].casefold().strip(",") not in _PREPOSITIONS


def _roles(text: str, names: Sequence[tuple[int, str]]) -> tuple[tuple[str, str | None, str | None], ...]:
    """Agent and patient of each directed verb: the nearest argument name before it in the same
    clause and the first after it, swapped for a passive ("was invited ... by Putin"), read from a
    possessive for a nominal form ("at Putin's invitation")."""
    if not names:
        return ()
    args = [(p, k) for p, k in names if _is_argument(text, p)]
    tokens = list(re.finditer(r"[\w’'-]+", text))
    out: list[tuple[str, str | None, str | None]] = []
    candidates = set(_verbs(tokens)) | {
        i for i, t in enumerate(tokens) if t.group(0).casefold().endswith(("ation", "ition"))
    }
    for i in sorted(candidates):
        tok = tokens[i]
        word = tok.group(0).casefold()
        verb = stem(word)
        if word in _AUX or word in _LIGHT or word in REPORTING or verb in REPORTING or verb in SYMMETRIC:
            continue
        if word in SYMMETRIC or word.endswith("ing"):
            continue  # a gerund's subject is rarely the name before it ("Russia by refusing")
        before = [k for p, k in args if p < tok.start() and "," not in text[p : tok.start()]]
        after = [
            k for p, k in args if p > tok.end() and p - tok.end() < 40 and "," not in text[tok.end() : p]
        ]
        prev = tokens[i - 1].group(0).casefold() if i else ""
        prev2 = tokens[i - 2].group(0).casefold() if i > 1 else ""
        passive = word.endswith("ed") and (
            prev in _BE or (prev2 in _BE and (prev in {"been", "being"} or prev.endswith("ly")))
        )
        by = _BY_AGENT.match(text[tok.end() :])
        possessive = re.search(r"([A-Z][\w-]+)['’]s\s+$", text[max(0, tok.start() - 40) : tok.start()])
        agent: str | None
        patient: str | None
        if passive:
            agent = next((k for p, k in names if by and text[p:].startswith(by.group(1))), None)
            patient = before[-1] if before else None
        elif word.endswith(("ation", "ition")):
            if not possessive:
                continue  # a noun without a possessor has no agent to compare
            agent = next((k for p, k in names if text[p:].startswith(possessive.group(1))), None)
            patient = None
        else:
            agent = before[-1] if before else None
            patient = after[0] if after else None
        if agent is not None or patient is not None:
            out.append((verb, agent, patient))
    return tuple(out)


def _same_place(a: str, b: str) -> bool:
    """Two place keys that name one place: equal, or one's words (less words for a kind of place)
    inside the other's with no qualifier among the rest ("aoraki" / "aoraki mount cook")."""
    if a == b:
        return True
    wa, wb = set(a.split()) - _PLACE_FEATURES, set(b.split()) - _PLACE_FEATURES
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return bool(small) and small <= large and not (large - small) & _PLACE_QUALIFIERS


def _slot_clash(a: Statement, b: Statement) -> bool:
    return bool(slot_differences(a.slots, b.slots))


def _relative_key(which: str, scale: str) -> str:
    which = which.casefold()
    return f"{ {'coming': 'next', 'past': 'last'}.get(which, which) } {scale.casefold()}"


def _missing_count(a: Statement, b: Statement) -> bool:
    """``a`` counts something (``39 times``, ``12 people``) that ``b`` gives no number of at all;
    ages and durations in years describe rather than count, and are left out."""
    counted = {s.key for s in a.slots if s.kind == "quantity" and s.key != "year"}
    return bool(counted - {s.key for s in b.slots if s.kind == "quantity"})


def _missing_term(a: Statement, b: Statement) -> bool:
    """``a`` frames its fact with a quoted term (a "no limits" partnership) and ``b`` quotes no
    term at all: ``b`` may name the same actors and events, but not what ``a`` says of them."""
    return any(s.kind == "term" for s in a.slots) and not any(s.kind == "term" for s in b.slots)


def _negates_shared(a: Statement, b: Statement) -> bool:
    """``a`` negates something ``b`` states: a content word or a participant of ``b`` is in the
    scope of ``a``'s negation."""
    return a.negated and bool(a.negation_scope & (b.content | b.names))


def _time_clash(a: Statement, b: Statement) -> bool:
    """ "later this year" vs "last year": relative times of one scale that differ."""
    for scale in ("year", "month", "week"):
        ta = {w for w in a.when if w.endswith(scale)}
        tb = {w for w in b.when if w.endswith(scale)}
        if ta and tb and not ta & tb:
            return True
    return False


def _role_clash(a: Statement, b: Statement, people: frozenset[str]) -> bool:
    """Swapped roles on one directed verb, or two different people doing it."""
    for verb, agent, patient in a.roles:
        for verb_b, agent_b, patient_b in b.roles:
            if verb != verb_b:
                continue
            if agent and agent != agent_b and agent == patient_b:
                return True
            if patient and patient != patient_b and patient == agent_b:
                return True
            if agent and agent_b and agent != agent_b and agent in people and agent_b in people:
                return True
    return False


def _other_predicate(a: Statement, b: Statement) -> bool:
    """Both have a main verb and neither's appears in the other: they say something else happened
    ("Xi invited Putin" / "Xi heads to Moscow")."""
    if not a.predicates or not b.predicates:
        return False  # a nominal statement ("Putin's visit to Mariupol") has no verb to differ
    return not a.predicates & b.predicates


def underspecified(s: Statement, settings: SupportSettings) -> bool:
    """Too little content of its own to be checked against another article: what it is about is
    in the sentences around it."""
    informative = len(s.content) + len(s.names)
    if s.words < settings.min_words or informative < settings.min_content_words:
        return True
    return s.anaphoric and informative < settings.min_content_words + 2


def support(
    claim: Statement,
    span: Statement,
    cosine: float,
    ctx: SupportContext,
    settings: SupportSettings,
    *,
    same_statement: bool = False,
    ignore_slots: bool = False,
) -> Support:
    """Does ``span`` state the fact of ``claim``? ``cosine`` is their embedding (or TF-IDF) cosine;
    ``same_statement``: the quote stage linked quotes in both as one statement (two translations);
    ``ignore_slots``: decide whether they are about the same fact whatever values they give (the
    question a conflict asks)."""
    if claim.article == span.article and claim.span == span.span:
        return Support(1.0, True, "")
    if same_statement and not claim.negated ^ span.negated:
        return Support(max(0.8, cosine), True, "")
    if underspecified(claim, settings) or underspecified(span, settings):
        return Support(0.0, False, "underspecified")
    shared = claim.content & span.content
    # shared weight over the geometric mean of the two sides: a short span inside a long sentence
    # covers little of it, a long span around a short claim states more than it
    sides = math.sqrt(claim.content_weight * span.content_weight) or 1.0
    overlap = ctx.weighted(shared) / sides
    names = claim.names | span.names
    participants = len(claim.names & span.names) / len(names) if names else 1.0
    # who is involved: people, organisations and countries both sides name (a side that only
    # describes its actor, "a 36-year-old man", names no one to compare)
    ours, theirs = claim.actors, span.actors
    within = len(ours & theirs) / min(len(ours), len(theirs)) if ours and theirs else 1.0
    score = max(
        0.0,
        min(
            1.0,
            settings.cosine_weight * cosine
            + settings.overlap_weight * overlap
            + settings.participant_weight * participants,
        ),
    )
    if not ignore_slots and _slot_clash(claim, span):
        return Support(score * 0.5, False, "slot")
    if _time_clash(claim, span):
        return Support(score * 0.5, False, "time")
    if claim.places and span.places and not any(_same_place(p, q) for p in claim.places for q in span.places):
        return Support(score * 0.5, False, "place")
    if claim.negated != span.negated and (
        overlap >= settings.negation_overlap or _negates_shared(claim, span) or _negates_shared(span, claim)
    ):
        return Support(score * 0.5, False, "negation")
    if _role_clash(claim, span, ctx.people):
        return Support(score * 0.5, False, "roles")
    # few actors in common: someone else's fact, unless the two say much the same otherwise ("the
    # two leaders ... declared" / "Xi and Putin declared")
    if within < settings.min_participants and overlap < settings.participants_overlap:
        return Support(score, False, "participants")
    people_a, people_b = claim.agents & ctx.people, span.agents & ctx.people
    if people_a and people_b and not people_a & people_b:
        return Support(score, False, "participants")  # about someone else ("Xi's first" / "Putin's first")
    if _missing_count(claim, span):
        score *= settings.missing_count_factor
    if _missing_term(claim, span):
        score *= settings.missing_count_factor
    same_verb = bool(claim.predicates & span.predicates) or (
        # a nominal statement ("Putin's surprise visit to Mariupol") shares the other's verb as a noun
        (not claim.predicates and bool(span.predicates & claim.content))
        or (not span.predicates and bool(claim.predicates & span.content))
    )
    if overlap < settings.min_overlap and cosine < settings.paraphrase_cosine and not same_verb:
        return Support(score, False, "predicate")
    # what the main clause states must be there: a span that shares only what a subordinate
    # clause adds ("Xi heads to Moscow, his first visit since Putin launched the invasion" /
    # "Putin launched the invasion after a 'no limits' pact") states something else
    if claim.main_content and not claim.main_content & span.content and cosine < settings.paraphrase_cosine:
        return Support(score, False, "predicate")
    # a speaker's words are supported by the same words (or the quote stage's link, above), not by
    # a sentence on the same topic ("'China should not provide lethal aid,' Stoltenberg said" /
    # "officials raise concerns China may provide lethal assistance")
    if (claim.quoted or span.quoted) and overlap < settings.verb_overlap:
        return Support(score, False, "predicate")
    # different verbs and little else in common: something else happened ("Xi invited Putin" /
    # "Xi heads to Moscow"); with much in common the verbs are in subordinate clauses
    if (
        _other_predicate(claim, span)
        and overlap < settings.verb_overlap
        and cosine < settings.paraphrase_cosine
    ):
        return Support(score, False, "predicate")
    if score < settings.accept:
        return Support(score, False, "weak")
    return Support(score, True, "")


def is_proposition(text: str, *, clause: bool = False) -> bool:
    """A sentence (or, with ``clause``, a piece of one) that can stand as a claim: it starts like
    a main clause and has a finite verb. A clause that opens with a preposition, a conjunction or
    a participle leans on the rest of its sentence ("During his initial meeting with Mr Putin")."""
    stripped = text.strip().lstrip("\"'“‘(")
    if not stripped or (not stripped[0].isupper() and not stripped[0].isdigit()):
        return False
    if clause and _SUBORDINATE.match(stripped):
        return False
    return _FINITE.search(_outside_quotes(stripped) + " " + stripped) is not None


_MAIN_CLAUSE_END = re.compile(
    r"\b(?:after|before|when|while|since|because|as|if|until|unless|following|amid|who|which|that)\b"
)


def is_verbless_display(text: str) -> bool:
    """A line shaped like a headline, standfirst or caption (no sentence ending, at most 30 words)
    whose main clause has no verb ("Chinese President the first world leader to meet Russian
    leader after ICC issued a warrant"): written for display, it states no claim on its own. A
    standfirst with a verb ("President Xi said he had invited Putin to China") is not one."""
    return is_headline_like(text) and not is_proposition(_MAIN_CLAUSE_END.split(text, maxsplit=1)[0])


def proposition_quality(text: str, *, clause: bool = False, quoted: bool = False) -> float:
    """How well a sentence or clause reads alone as a claim, in [0, 1]: 1 for a full main
    clause, less when it leans on its context ("So it's very complex.", "They also share ...",
    "Beijing has denied the allegations.", "It accused them of ..."), or is a speaker's words
    without the speaker (``quoted``: inside a quotation opened by an earlier sentence), least for
    a fragment ("During his initial meeting with Mr Putin")."""
    if not is_proposition(text, clause=clause) or (not clause and is_verbless_display(text)):
        return 0.1
    words = len(text.split())
    stripped = text.strip()
    if quoted:
        return 0.35
    if _ANAPHORIC.search(stripped) and words < 12:
        return 0.35  # what "the allegations" are is in the sentence before
    if _PRONOUN_SUBJECT.match(stripped) and not _NAME.search(stripped, 1):
        return 0.35  # "It accused them of ...": no one named at all
    if CONTEXT_START.match(stripped):
        return 0.35 if words < 12 else 0.6
    if words < 6:
        return 0.5
    return 1.0


class SupportCiter:
    """Finds, among other articles' sentences, the one that states the fact of a given sentence
    (what a summary sentence cites beyond its own article). Give it a caching embedder
    (:class:`~synoptic.nlp.embeddings.CachedEmbedder`): only the sentences a summary compares are
    encoded, each once."""

    def __init__(self, context: SupportContext, embedder: Embedder, settings: SupportSettings) -> None:
        self.ctx = context
        self.embedder = embedder
        self.settings = settings
        self.statements: dict[tuple[str, Span], Statement] = {}

    def _statement(self, sentence: Sentence) -> Statement:
        key = (sentence.article, sentence.span)
        if key not in self.statements:
            self.statements[key] = self.ctx.statement(sentence.article, sentence.span, sentence.text)
        return self.statements[key]

    def best(self, own: Sentence, options: Sequence[Sentence]) -> tuple[Sentence, Support] | None:
        """The option that best supports ``own`` (accepted by the check), if any."""
        if not options:
            return None
        vectors = self.embedder.encode([own.text, *(o.text for o in options)])
        claim = self._statement(own)
        found: tuple[Sentence, Support] | None = None
        for option, vector in zip(options, vectors[1:], strict=True):
            verdict = support(
                claim, self._statement(option), float(vectors[0] @ vector), self.ctx, self.settings
            )
            if verdict.accepted and (found is None or verdict.score > found[1].score):
                found = (option, verdict)
        return found
