"""Whole-line boilerplate rules: one category each, matched on the whitespace-squashed line.

A rule names a *category* of page furniture (ad markers, comment boxes, promos, captions...)
and describes it by the grammar outlets use for it, not by any outlet's exact words: an
imperative call to action (``Sign up``, ``Listen to``, ``Follow us``), a label followed by a
separator (``Read more:``, ``See also ·``), a credit marker (``Picture:``, ``Photograph:``,
``Image source,``). Every rule is anchored to the whole line and bounded in length, so a
sentence of the story that merely contains a trigger word (``The comments he made...``,
``Read more about it, he said...``) is never a match.

Rules are tried in order; the first match gives the removal reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synoptic.clean.shape import squash, words


@dataclass(frozen=True, slots=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int = 40
    """Lines longer than this never match: boilerplate is short, paragraphs are not."""

    def matches(self, line: str, n_words: int | None = None) -> bool:
        """Whether ``line`` is this furniture; ``n_words`` is ``len(words(line))`` when known."""
        n = len(words(line)) if n_words is None else n_words
        return n <= self.max_words and self.pattern.search(line) is not None


def _r(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive pattern from alternatives (each anchored as it needs)."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_AGENCY = (
    r"(?:Getty Images|Getty|AFP|AP(?: Photo)?|Associated Press|Reuters|EPA(?:-EFE)?|EFE|Shutterstock|"
    r"Alamy|PA(?: Wire| Media| Images)?|Bloomberg|Xinhua|Sputnik|TASS|Anadolu(?: Agency)?|NurPhoto|"
    r"SOPA Images|ZUMA(?: Press| Wire)?|Rex(?: Features)?|Pool|Handout|LightRocket|Corbis|Kyodo|Yonhap|"
    r"ANI|PTI|IANS|dpa|Imago|Sipa(?: USA)?)"
)
"""Picture agencies; only used where a credit marker or a slash/``via`` already says "credit"."""

_CREDIT_MARKER = (
    r"(?:pictures?|photo(?:graph)?s?|images?|illustration|video|footage|(?:photo |image )?credit)"
)
_SOCIAL = (
    r"(?:twitter|x|facebook|instagram|tiktok|linkedin|youtube|telegram|whatsapp|threads|bluesky|snapchat)"
)
_SHARE = r"(?:share|tweet|email|print|copy link|facebook|twitter|whatsapp|linkedin|reddit|pinterest|save)"
_PROMO_NOUN = (
    r"(?:newsletters?|briefings?|bulletins?|digest|alerts?|e-?mails?|inbox|updates?|round-?up|notifications)"
)
_LINK_LABEL = (
    r"(?:see also|see more|read more|read also|also read|more reading|further reading|related(?: articles?"
    r"| stories| content| coverage| topics| links?| reading| posts?)?|more on this(?: story| topic)?"
    r"|(?:also )?watch|listen|also on [\w-]+\.[a-z]{2,6})"
)
"""Labels of link boxes that may run straight into the linked headline (``See also The...``)."""

_BOX_LABEL = (
    r"(?:more from [\w ]{1,30}|recommended(?: for you| stories| reading)?|"
    r"you (?:may|might) also (?:like|be interested in)|most (?:read|popular|viewed|shared)|"
    r"trending(?: now| stories)?|top stories|editor'?s picks?|explore more|what to read next|don'?t miss|"
    r"must read|latest (?:news|stories|videos)|more stories|suggested (?:reading|articles)|more|also)"
)
"""Labels of link boxes that need a separator or the end of the line (``Most popular: ...``):
followed by words they are ordinary phrases (``Most popular month to get engaged``)."""

_PERSON = r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2}"
"""A person's name: up to three capitalised words (matched case-sensitively)."""

_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"

RULES: tuple[Rule, ...] = (
    Rule(
        "ad marker",
        _r(
            r"^(?:(?:hide|skip|close|remove)\s+)?(?:ads?|advert(?:isement)?s?)"
            r"(?:\s*[-:·|]?\s*(?:scroll|continue|story continues|article continues)[\w ]*)?$",
            r"^(?:sponsored(?: content| post| story| links?| by [\w .&'-]+)?"
            r"|paid (?:content|post|partner content)|promoted(?: content| stories| links?)?"
            r"|ad feature|partner content|advertiser content|ads by \w+)$",
            r"^(?:the )?(?:story|article|text) continues (?:below|after)(?: (?:this|the))?"
            r"(?: advert(?:isement)?s?| ad)?$",
            r"^continue reading(?: the)?(?: main)?(?: story| article)?(?: below)?$",
        ),
        max_words=10,
    ),
    Rule(
        "comment box",
        _r(
            r"^(?:\d+\s+)?comments?(?:\s*\(\d+\))?$",
            r"^comments? \d+$",
            r"^(?:view|show|load|read|see|hide|jump to|go to)(?: all| the| more)?(?: \d+)?"
            r" (?:comments?|replies)\b.{0,30}$",
            r"^(?:leave|post|add|write|submit) (?:a|your) (?:reply|comment|response)\b.{0,40}$",
            r"^your email address will not be published\b",
            r"^required fields are marked\b",
            r"^(?:want to )?(?:join|start) the (?:conversation|discussion|debate)\b",
            r"^comments? (?:are|have been) (?:closed|disabled|turned off|moderated|open)\b",
            r"^(?:please )?(?:log ?in|sign ?in|register|subscribe)"
            r"(?: or (?:log ?in|sign ?in|register|subscribe))?"
            r" to (?:comment|post|reply|join the (?:conversation|discussion))\b",
            r"^(?:be the first to comment|no comments yet|there are no comments)\b",
            r"^you must be logged in to (?:post|leave) a comment\b",
            r"^tell us what you think\b.{0,40}$",
            r"^(?:cancel reply|reply|report|share|like)(?: \| (?:reply|report|share|like|flag))+$",
        ),
        max_words=30,
    ),
    Rule(
        "podcast promo",
        _r(
            r"(?:^|[.?!]\s+)(?:listen|subscribe|tune in)(?: now)? to (?:our|the|this)(?: [\w'’-]+){0,5}"
            r" podcasts?\b",
            r"^(?:listen|subscribe) (?:on|via) (?:apple podcasts|spotify|google podcasts|amazon music)\b",
            r"^(?:download|listen to) (?:the|this) (?:episode|podcast)\b",
            r"^listen (?:live|back|again|to [\w'’ ]{1,30} (?:live|on air))\b.{0,80}$",
        ),
        max_words=40,
    ),
    Rule(
        "subscription promo",
        _r(
            r"^(?:click|tap) here to (?:subscribe|sign up|register)\b",
            r"^(?:already a (?:subscriber|member)|not a subscriber|become a (?:subscriber|member))\b",
            r"^subscribe(?: now| today)?(?:\s*[:!.]|\s+(?:for|to)\b.{0,80})?$",
            r"^support (?:us|our journalism|independent journalism)\b.{0,60}$",
            r"^(?:this|the) (?:article|story|content) is (?:for|available to|reserved for)"
            r" (?:subscribers|members)\b",
            r"^you(?:'ve| have) (?:reached|read) (?:your|the|all of your) (?:free )?"
            r"(?:article|story) limit\b",
            r"^if you (?:enjoyed|liked|value|appreciate|rely on) (?:this|our) (?:article|story|journalism|"
            r"reporting|work)\b",
        ),
        max_words=40,
    ),
    Rule(
        "newsletter promo",
        _r(
            r"^(?:sign up|subscribe|register|opt in|get|receive|enter your e-?mail)\b"
            rf".{{0,120}}\b{_PROMO_NOUN}\b",
            r"^(?:your|our) (?:free |essential |daily |weekly |monthly |morning |evening |lunchtime |nightly "
            rf"|weekend )+{_PROMO_NOUN}\b.{{0,80}}$",
            r"\b(?:delivered|sent|straight|direct(?:ly)?) (?:to|into) your inbox\b",
            r"^(?:[\w'’&-]+ ){0,5}(?:newsletter|briefing)s?$",
        ),
        max_words=40,
    ),
    Rule(
        "related link",
        _r(
            rf"^[\[(]?{_LINK_LABEL}\s*(?:[:|»›>·•\-–—]|\.\.\.|…|(?-i:(?=[A-Z\"“‘']))|$)",
            rf"^[\[(]?{_BOX_LABEL}\s*(?:[:|»›>·•\-–—]|\.\.\.|…|$)",
            r"^most (?:read|popular|viewed|shared) in [\w ]{1,30}$",
            r"^(?:follow|read|see|get) (?:\w+['’]s )?(?:full|complete|latest|live|all|more)"
            r" (?:coverage|stories)\b.{0,80}$",
            r"^(?:more|follow|visit|read|see|watch|listen|find|get)\b[^.!?]{0,80}:?\s*https?://\S+$",
            r"^[-•]?\s*visit [\w'’ .]{1,40} (?:homepage|website|site) for more\b.{0,40}$",
            r"(?-i:^.{10,160}\s\[[A-Z][A-Z ]{2,20}\]\s*\|?$)",
        ),
        max_words=30,
    ),
    Rule(
        "gallery link",
        _r(
            r"\s[-–—:|]\s*in (?:pictures|photos|images|videos?|graphics|charts|maps|numbers)\s*$",
            r"^(?:photos?|pictures|gallery|video|watch|in pictures)\s*[:|]\s*\S.{0,120}$",
            r"\((?:photos|pictures|gallery|video)\)\s*$",
        ),
        max_words=25,
    ),
    Rule(
        "photo credit",
        _r(
            rf"^(?:{_CREDIT_MARKER}|(?:image|photo|picture|video|media) source)s?\s*[,:]\s*\S.{{0,60}}$",
            rf"^\((?:{_CREDIT_MARKER}|file photo)\s*:?[^()]{{1,60}}\)$",
            rf"^(?:[\w.'-]+\s){{0,3}}[\w.'-]+\s*/\s*{_AGENCY}\b.{{0,20}}$",
            rf"^(?:[\w.'-]+\s){{0,3}}(?:via|for)\s+{_AGENCY}$",
            rf"^{_AGENCY}(?:\s*(?:/|via)\s*{_AGENCY})*$",
        ),
        max_words=12,
    ),
    Rule(
        "photo caption",
        _r(
            rf"(?:^|[.!?\s]){_CREDIT_MARKER}\s*:\s*[^.!?]{{2,80}}$",
            rf"\((?:{_CREDIT_MARKER}|file photo)\s*:?[^()]{{1,80}}\)\s*$",
            r"^(?:image|photo|picture|video|media) captions?\s*[,:]",
            rf"(?:\s|^)(?:via|/)\s*{_AGENCY}\s*$",
        ),
        max_words=60,
    ),
    Rule(
        "social promo",
        _r(
            rf"^(?:follow|like|join|find|connect with) (?:us|me|@\w+|[\w'’ ]{{1,50}}) on {_SOCIAL}\b",
            r"^like this (?:story|article|post)\?",
            r"^(?:share|tweet|post|send)(?: this| the)?(?: article| story| page| post)?(?: on| via| to| with)"
            rf" (?:{_SOCIAL}|e-?mail|your friends|messenger)\b.{{0,30}}$",
            rf"^{_SHARE}(?:\s*[|/,·•]?\s*(?:{_SHARE}|comment))*$",
            r"^(?:download|get) (?:our|the) (?:free )?(?:[\w ]{1,20} )?app\b",
            r"^(?:have|got) a (?:news )?tip\b.{0,160}$",
        ),
        max_words=25,
    ),
    Rule(
        "copyright",
        _r(
            r"^(?:©|\(c\)|copyright\s*(?:©\s*)?(?:19|20)\d\d\b).{0,160}$",
            r"^all rights reserved\.?$",
            r"^copyright\b[^.]{0,80}\b(?:19|20)\d\d\b[^.]*$",
            r"^this copy is for your personal,? non-commercial use only\b",
            r"^this (?:material|article|content) may not be (?:published|reproduced|broadcast|copied)\b",
        ),
        max_words=40,
    ),
    Rule(
        "translation notice",
        _r(
            r"^(?:powered by|provided by|via) (?:automated|automatic|machine|google|ai)[- ]translation\b",
            r"^(?:this|the) (?:article|story|text|content|page) (?:was|has been|is)"
            r" (?:automatically |machine[- ]|ai[- ])?translated\b.{0,120}$",
            r"^(?:automated|automatic|machine) translation\b.{0,60}$",
            r"^translated (?:by|from|with) [\w ]{1,40}\.?$",
            r"^(?:read|view) (?:this|the) (?:article|story) in \w+$",
        ),
        max_words=30,
    ),
    Rule(
        "cookie notice",
        _r(
            r"\b(?:we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies)\b",
            r"\bcookie (?:policy|settings|preferences|consent)\b",
            r"^(?:please )?enable javascript\b",
            r"^your browser does not support\b",
            r"^this (?:content|video|embed) is (?:not available|unavailable|blocked)\b",
        ),
        max_words=60,
    ),
    Rule(
        "byline",
        re.compile(
            rf"^(?i:by|words by|reported by|written by)\s+{_NAME}(?:\s*(?:,|(?i:and)|&)\s*{_NAME}){{0,3}}"
            r"(?:\s*[,|·•-]\s*[\w .&'’-]{0,40})?$"
        ),
        max_words=16,
    ),
    Rule(
        "contact line",
        _r(
            r"^(?:reach|contact|e-?mail|write to|follow)"
            r" (?:the (?:reporters?|authors?|writers?)|him|her|them|me"
            rf"|(?-i:{_PERSON})) (?:at|on|via)\b.{{0,160}}$",
        ),
        max_words=40,
    ),
    Rule(
        "update timestamp",
        _r(
            r"^(?:last )?updated(?: at| on)?:?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4})?\.?$"
        ),
        max_words=8,
    ),
    Rule(
        "wire-service marker",
        _r(
            r"^\(?(?:more|end|ends|corrects?|repeats?|advisory|adv\d*|ld-writethru|writethru|"
            r"\d+(?:st|nd|rd|th) ld(?:-writethru)?|urgent|flash|bulletin|-0-|xxx+|\#+)\)?\.?$",
            r"^\d+(?:st|nd|rd|th) (?:graf|grafs|para|paras|par|pars)\b.{0,40}$",
            r"^(?:pick ?up|insert|sub|subs)\s+\d+(?:st|nd|rd|th)?\s+(?:graf|para|par)\b.{0,40}$",
        ),
        max_words=8,
    ),
    Rule(
        "navigation",
        _r(
            r"^(?:skip to (?:main )?content|back to top|go to (?:the )?(?:homepage|top)|jump to|menu"
            r"|close menu|search|home|next article|previous article|next story|previous story"
            r"|load more|show more|more articles|view all|see all|return to (?:the )?homepage|tags|topics)$",
            r"^(?:filed under|tags?|topics|categories|posted in)\s*:.{0,120}$",
            r"^(?:[\w&' ]{1,25}\s*[›»>|]\s*){2,}[\w&' ]{1,25}$",
        ),
        max_words=12,
    ),
)


SUFFIX_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("social promo", re.compile(r"(?<=[.!?\"'”’])\s*click to tweet\s*$", re.IGNORECASE)),
    ("ad marker", re.compile(r"(?<=[.!?\"”’])\s*(?:advertisement|story continues below)\s*$", re.IGNORECASE)),
)
"""Furniture glued to the end of a sentence by the page layout; only the suffix is cut."""


INLINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "stock ticker",
        re.compile(
            # an exchange-prefixed ticker, or a ticker with its price change: a bare "(WHO)" or
            # "(ICC)" is an acronym the entity stage needs, never cut
            r"\s*\((?:(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|HKEX|TYO|NYSEARCA|OTC)\s*:\s*[A-Z]{1,5}(?:\.[A-Z]{1,2})?"
            r"(?:\s*,?\s*[+\-−–]?\s*\d+(?:\.\d+)?\s*%)?"
            r"|[A-Z]{1,5}(?:\.[A-Z]{1,2})?\s*,?\s*[+\-−–]\s*\d+(?:\.\d+)?\s*%)\)"
            r"(?=[\s,.;:]|$)"
        ),
    ),
)
"""Furniture inside a sentence, cut out of it: a stock quote after a company's name
("Intel (INTC +0.93%) said ...") breaks the sentence's subject for every later stage."""


def inline_furniture(line: str) -> list[tuple[str, int, int]]:
    """``(reason, start, end)`` of each piece of in-sentence furniture, right to left."""
    found = [(reason, m.start(), m.end()) for reason, pattern in INLINE_RULES for m in pattern.finditer(line)]
    return sorted(found, key=lambda x: -x[1])


def glued_suffix(line: str) -> tuple[str, int] | None:
    """The reason and start offset of page furniture glued after a sentence, if any."""
    for reason, pattern in SUFFIX_RULES:
        m = pattern.search(line)
        if m is not None and m.start() > 0:
            return reason, m.start()
    return None


def classify_line(line: str) -> str | None:
    """The removal reason for a whole line, or None when no rule matches."""
    text = squash(line)
    if not text:
        return None
    n_words = len(words(text))  # counted once, not once per rule
    for rule in RULES:
        if rule.matches(text, n_words):
            return rule.reason
    return None
