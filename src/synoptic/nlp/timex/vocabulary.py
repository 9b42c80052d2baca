"""The words of time expressions: number, month, weekday and unit tables, and the pattern
fragments the rules are built from (month names, weekdays, numbers, units, clock times)."""

from __future__ import annotations

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "overnight": "NI", "after dark": "NI", "midday": "MI", "noon": "MI",
}  # fmt: skip
UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE",
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "thousand": 1000, "a dozen": 12, "dozen": 12,
    "a couple of": 2, "couple of": 2, "a couple": 2, "half a": 0.5,
}  # fmt: skip
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some", "numerous", "dozens of", "a number of")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

MONTH = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
)
MONTH_ALONE = (  # month names that are also common words need a cue ("in May", "last March")
    r"(?-i:January|February|April|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)"
)
WD = (
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tues\.|Tue\.|Wed\.|Thurs\.|Thu\.|Fri\.|Sat\.|Sun\.)"
)
NUMWORD = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:a\s+)?hundred|thousand"
)
NUM = (
    r"(?:\d+(?:\.\d+)?(?:\s+1/2)?|(?:" + NUMWORD + r")(?:\s+and\s+a\s+half)?|a\s+couple\s+of|a\s+dozen|"
    r"dozens\s+of|several|a\s+few|few|many|numerous|an?|half\s+an?)"
)
UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))s?"
APPROX = (
    r"(?:(?:nearly|almost|about|around|roughly|approximately|some|more\s+than|less\s+than|fewer\s+than|"
    r"at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|well\s+over|under|"
    r"close\s+to|the\s+better\s+part\s+of)\s+)"
)
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
COUNT_NOUNS = (  # what a number before it counts: "1,998 people", "2000 points" are not years
    r"people|persons|troops|soldiers|shares|points|workers|employees|jobs|cars|vehicles|units|votes|members|"
    r"residents|tons|tonnes|barrels|feet|metres|meters|miles|kilometres|kilometers|acres|dollars|euros|pounds|"
    r"yen|rupees|children|students|cases|deaths|homes|houses|lives|copies|pages|words|passengers|seats|flights"
)
ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
DAYPART = r"(?:morning|afternoon|evening|night)"
CLOCK = r"(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|[ap]\.m\b)|noon|midnight)"
