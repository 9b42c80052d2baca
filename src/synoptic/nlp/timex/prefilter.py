"""What a rule's pattern needs in a text before it can match: the prefilter of time expressions.

Most rules cannot match most sentences: a rule that needs a month name, a digit or the word
"quarter" cannot match a sentence that has none. Each rule's needs are read off its pattern by
the small reader below (not by the standard library's private parser, whose shape changes between
Python versions), so they follow the pattern as it is edited; a rule is only run over a text that
meets all of them, and the matches are exactly those of running every rule. Anything the reader
does not understand needs nothing (the rule runs), so a reading can be too weak but never wrong.

The reader knows the syntax the rules use: literals and escapes, character classes, groups
(capturing, named, non-capturing, with scoped flags, atomic), lookarounds, alternation and the
greedy, lazy and possessive repeats. The text is compared lower-cased: a pattern compiled with
``re.IGNORECASE`` matches the same ASCII letters in either case (the few characters outside ASCII
that break this are :data:`synoptic.nlp.casefold.CASE_TRAPS`; a text holding one is searched
with every rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGIT = "\x00digit"
"""A need met by any digit (``\\d``) in the text; no pattern literal contains NUL."""
MAX_EXACT = 64
"""Most strings a part of a pattern may stand for before only what it needs is kept."""

Need = frozenset[str]
"""A match of the rule contains one of these strings (lower case, or ``DIGIT``)."""


class Unreadable(ValueError):
    """A pattern (or a part of one) the reader does not know: the rule is searched everywhere."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What the reader knows of a part of a pattern."""

    exact: frozenset[str] | None
    """Every string (lower case) this part of a pattern can match, when they are few."""
    needs: tuple[Need, ...]
    """Each match of this part contains a string of every one of these."""


UNKNOWN = Shape(None, ())
EMPTY = Shape(frozenset({""}), ())
_DIGITS = Shape(None, (frozenset({DIGIT}),))


def _literal(ch: str) -> Shape:
    return Shape(frozenset({ch.lower()}), ()) if ch.isascii() and ch != "\x00" else UNKNOWN


def _best(shape: Shape) -> Need | None:
    """The most selective need of a part (longest shortest string, then fewest strings)."""
    options = [*shape.needs, *([shape.exact] if shape.exact and "" not in shape.exact else [])]
    return max(options, key=_selectivity, default=None)


def _selectivity(need: Need) -> tuple[int, int]:
    return min(2 if s == DIGIT else len(s) for s in need), -len(need)


def _sequence(items: list[Shape]) -> Shape:
    """A run of parts one after another: adjacent exact parts join into longer strings."""
    needs: list[Need] = []
    run: frozenset[str] = frozenset({""})  # the strings the exact items since the last break match
    whole = True
    for part in items:
        needs.extend(part.needs)
        if part.exact is not None:
            joined = frozenset(a + b for a in run for b in part.exact)
            if len(joined) <= MAX_EXACT:
                run = joined
                continue
            needs.append(run)
            run = part.exact
        else:
            needs.append(run)
            run = frozenset({""})
        whole = False
    needs.append(run)
    return Shape(run if whole else None, tuple(n for n in needs if "" not in n))


def _branch(alternatives: list[list[Shape]]) -> list[Shape]:
    """Alternatives: what all of them share at the front, then one part whose need is the union
    of each alternative's best need (when every alternative has one)."""
    prefix: list[Shape] = []
    while all(alternatives) and all(alt[0] == alternatives[0][0] for alt in alternatives):
        prefix.append(alternatives[0][0])
        alternatives = [alt[1:] for alt in alternatives]
    shapes = [_sequence(alt) for alt in alternatives]
    exact: frozenset[str] | None = None
    if all(s.exact is not None for s in shapes):
        exact = frozenset().union(*(s.exact or () for s in shapes))
        exact = exact if len(exact) <= MAX_EXACT else None
    bests = [b for s in shapes if (b := _best(s)) is not None]
    needs = (frozenset().union(*bests),) if len(bests) == len(shapes) else ()
    return [*prefix, Shape(exact, needs)]


def _repeat(body: list[Shape], low: int, high: int | None) -> Shape:
    inner = _sequence(body)
    if low == 0:
        optional = inner.exact | {""} if inner.exact is not None and high == 1 else None
        return Shape(optional, ())
    whole = (inner.exact,) if inner.exact and "" not in inner.exact else ()
    return Shape(inner.exact if high == 1 else None, (*inner.needs, *whole))


def _char_class(chars: set[str], any_digit: bool) -> Shape:
    if all(ch.isdigit() for ch in chars):
        return _DIGITS
    return UNKNOWN if any_digit else Shape(frozenset(chars), ())


_COUNT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]+))?([:)])")
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


class _Reader:
    """A recursive reading of one pattern into :class:`Shape` parts (see the module notes)."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def read(self) -> Shape:
        items = self.alternation()
        if self.at != len(self.text):
            raise Unreadable(self.text[self.at :])
        return _sequence(items)

    def peek(self, n: int = 1) -> str:
        return self.text[self.at : self.at + n]

    def take(self, s: str) -> bool:
        if self.text.startswith(s, self.at):
            self.at += len(s)
            return True
        return False

    def alternation(self) -> list[Shape]:
        alternatives = [self.sequence()]
        while self.take("|"):
            alternatives.append(self.sequence())
        return alternatives[0] if len(alternatives) == 1 else _branch(alternatives)

    def sequence(self) -> list[Shape]:
        items: list[Shape] = []
        while self.at < len(self.text) and self.peek() not in "|)":
            body = self.atom()
            repeat = self.quantifier()
            if repeat is not None:
                self.take("?") or self.take("+")  # lazy or possessive: the same strings
                items.append(_repeat(body, *repeat))
            else:
                items.extend(body)  # a plain group's parts join the run around it
        return items

    def quantifier(self) -> tuple[int, int | None] | None:
        ch = self.peek()
        if ch in ("?", "*", "+"):
            self.at += 1
            return {"?": (0, 1), "*": (0, None), "+": (1, None)}[ch]
        if ch == "{" and (m := _COUNT.match(self.text, self.at)) and (m[1] or m[3]):
            self.at = m.end()
            low = int(m[1] or 0)
            return low, (int(m[3]) if m[3] else None) if m[2] else low
        return None

    def atom(self) -> list[Shape]:
        """The parts of one atom: one part, the parts of a plain group, none for a comment or the
        pattern's flags."""
        ch = self.text[self.at]
        self.at += 1
        if ch == "(":
            return self.group()
        if ch == "[":
            return [self.char_class()]
        if ch == "\\":
            return [self.escape()]
        if ch == ".":
            return [UNKNOWN]
        if ch in "^$":
            return [EMPTY]
        if ch in "*+?":
            raise Unreadable(ch)
        return [_literal(ch)]

    def group(self) -> list[Shape]:
        if not self.take("?"):
            return [self.closed()]
        if self.take(":"):
            items = self.alternation()
            self.close()
            return items
        if self.take("P<"):
            end = self.text.index(">", self.at)
            self.at = end + 1
            return [self.closed()]
        if self.take(">"):
            return [self.closed()]
        if self.take("="):
            best = _best(self.closed())
            return [Shape(frozenset({""}), (best,) if best is not None else ())]
        if self.take("<="):
            best = _best(self.closed())
            return [Shape(frozenset({""}), (best,) if best is not None else ())]
        if self.take("!") or self.take("<!"):
            self.closed()
            return [EMPTY]
        if self.take("P="):
            self.at = self.text.index(")", self.at) + 1
            return [UNKNOWN]  # a back-reference by name
        if self.take("#"):
            self.at = self.text.index(")", self.at) + 1
            return []  # a comment
        if (m := _FLAGS.match(self.text, self.at - 2)) and m[1] + (m[2] or ""):
            self.at = m.end()
            if "x" in m[1]:
                raise Unreadable("verbose")
            if m[3] == ")":
                return []  # the pattern's flags: the text is compared lower-cased anyway
            return [self.closed()]
        raise Unreadable(self.text[self.at - 2 :])  # conditionals

    def closed(self) -> Shape:
        items = self.alternation()
        self.close()
        return _sequence(items)

    def close(self) -> None:
        if not self.take(")"):
            raise Unreadable("unterminated group")

    def escape(self) -> Shape:
        ch = self.text[self.at]
        self.at += 1
        if ch == "d":
            return _DIGITS
        if ch in "bBAZ":
            return EMPTY
        if ch in "DsSwW" or ch.isdigit():
            return UNKNOWN  # classes beyond digits, back-references, octal escapes
        return _literal(self.escaped(ch))

    def escaped(self, ch: str) -> str:
        """The character an escape other than a class or an anchor stands for."""
        if ch in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[ch]
        if ch in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[ch]
            code = self.text[self.at : self.at + width]
            self.at += width
            return chr(int(code, 16))
        if ch.isascii() and ch.isalnum():
            raise Unreadable("\\" + ch)
        return ch

    def char_class(self) -> Shape:
        negated = self.take("^")
        chars: set[str] = set()
        any_digit, readable, first = False, True, True
        while first or self.peek() != "]":
            if self.at >= len(self.text):
                raise Unreadable("unterminated class")
            first = False
            lo = self.class_char()
            if lo is None:
                continue
            if lo == "\\d":
                any_digit = True
                continue
            if lo.startswith("\\"):
                readable = False
                continue
            if self.peek() == "-" and self.peek(2) != "-]":  # a range (a dash before "]" is itself)
                self.at += 1
                hi = self.class_char()
                if hi is None or hi.startswith("\\") or len(hi) != 1:
                    raise Unreadable("range")
                if ord(hi) - ord(lo) < 10 and hi.isascii():
                    chars.update(chr(x).lower() for x in range(ord(lo), ord(hi) + 1))
                else:
                    readable = False
                continue
            if not lo.isascii():
                readable = False
            chars.add(lo.lower())
        self.at += 1
        if negated or not readable:
            return UNKNOWN
        if len(chars) == 1 and not any_digit:
            return _literal(next(iter(chars)))  # one character is read as that literal
        return _char_class(chars, any_digit)

    def class_char(self) -> str | None:
        """One member of a class: a character, or ``\\d``, ``\\s``, ... for a class escape."""
        ch = self.text[self.at]
        self.at += 1
        if ch != "\\":
            return ch
        esc = self.text[self.at]
        self.at += 1
        if esc in "dDsSwW":
            return "\\" + esc
        if esc.isdigit():
            raise Unreadable("octal escape in a class")
        if esc == "b":
            return "\b"
        return self.escaped(esc)


def _minimal(need: Need) -> Need:
    """The same need with fewer strings: a string that contains another one is implied by it."""
    return frozenset(s for s in need if s == DIGIT or not any(o != s and o in s for o in need if o != DIGIT))


def rule_needs(pattern: re.Pattern[str]) -> tuple[Need, ...]:
    """What any match of ``pattern`` contains (see the module notes); () when unknown."""
    if pattern.flags & re.VERBOSE:
        return ()
    try:
        shape = _Reader(pattern.pattern).read()
    except (Unreadable, IndexError, ValueError):
        return ()
    needs = {_minimal(n) for n in (*shape.needs, *([shape.exact] if shape.exact else []))}
    useful = [n for n in needs if "" not in n and len(n) <= MAX_EXACT and _selectivity(n)[0] >= 2]
    kept = [n for n in useful if not any(o < n for o in useful)]  # a subset implies its supersets
    return tuple(sorted(kept, key=lambda n: (_selectivity(n), sorted(n)), reverse=True))
