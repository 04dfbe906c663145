"""The patient search as front-desk staff type it: a filter on Patient from a query.

Every word must occur in the first name, last name or medical record number, whatever
its letter case and accents ("Muller" finds "Müller", "José" finds "Jose"); a record
number is found without its separators ("MRN0042" finds "MRN-0042"); a date of birth is
found as the list writes it ("15 Mar 1980") or typed (1980-03-15, 15/03/1980,
15.03.1980; a day and month that could be either way round match both). A phone number is
found however its digits are grouped ("020-7946 0123", "(020) 79460123"), typed with its
country prefix ("+44 20 …", "0044 20 …") or the trunk 0 instead, whichever way the record
holds it; a run of digits that could also be words (a record number) matches either way.

Matching uses regular expressions (``__iregex``: SQLite's REGEXP is Python's ``re``,
PostgreSQL's ``~*``), so neither database needs an extension or a stored copy of the
names; the patterns use only what both dialects read alike (character classes, ``*``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

from django.db.models import Q

# Words are split at spaces and commas: the list writes a name "Last, First", and staff
# type it back that way; no name or record number holds a comma.
_SEARCH_SEPARATORS = re.compile(r"[\s,]+")
# Letters that carry no combining mark in Unicode, yet are read as their plain letter.
_OWN_LETTERS = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"}
# Latin letters with diacritics: Latin-1 Supplement, Latin Extended-A/B, Extended Additional.
_LATIN_RANGES = ((0x00C0, 0x0250), (0x1E00, 0x1F00))
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_WRITTEN_DATE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
# After each letter: the combining accents of a name stored decomposed (NFD, "u" + "¨").
_COMBINING = "[\u0300-\u036f]*"
# Between the characters of a record number typed without its separators.
_ANY_SEPARATORS = "[^0-9A-Za-z]*"
# A phone number as typed: digits grouped by spaces, dashes, dots or brackets, maybe "+".
_PHONE = re.compile(r"(?<![\w-])\+?[\d(][\d\s().-]*\d(?![\w-])")
# Fewer digits than this are no phone number (a record number, a year, a room).
PHONE_MIN_DIGITS = 6
# Country calling codes are one to three digits long.
_COUNTRY_CODE_LENGTHS = (1, 2, 3)


def search_words(query: str) -> list[str]:
    """The words of a patient search, without the spaces and commas between them."""
    return [word for word in _SEARCH_SEPARATORS.split(query) if word]


def fold(text: str) -> str:
    """``text`` without accents, lower case: "Müller" -> "muller", "José" -> "jose"."""
    text = "".join(_OWN_LETTERS.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def person_name_key(first_name: str, last_name: str) -> tuple[str, ...]:
    """Who a name names, for the duplicate check: each part folded (``fold``) to its letters
    and digits, in either order ("José Müller", "jose muller" and "Muller, Jose" are one
    key; so are "Mary-Ann" and "Mary Ann", "O'Brien" and "OBrien")."""
    parts = (
        "".join(char for char in fold(part) if char.isalnum()) for part in (first_name, last_name)
    )
    return tuple(sorted(parts))


@cache
def _variants() -> dict[str, str]:
    """Each plain lower-case letter with every Latin letter that folds to it, both cases."""
    found: dict[str, set[str]] = {}
    for start, end in _LATIN_RANGES:
        for code in range(start, end):
            char = chr(code)
            base = fold(char)
            if len(base) == 1 and "a" <= base <= "z":
                found.setdefault(base, set()).add(char)
    for char, base in _OWN_LETTERS.items():
        found.setdefault(base.lower(), set()).add(char)
    return {base: "".join(sorted(chars | {base, base.upper()})) for base, chars in found.items()}


def name_pattern(word: str) -> str:
    """A regular expression matching ``word`` in a name whatever its accents and case."""
    variants = _variants()
    parts = []
    for char in fold(word):
        if char in variants:
            parts.append(f"[{variants[char]}]{_COMBINING}")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def record_number_pattern(word: str) -> str | None:
    """A regular expression matching ``word``'s letters and digits in a record number
    whatever separators stand between them; None for a word with neither."""
    characters = [char for char in fold(word) if char.isascii() and char.isalnum()]
    return _ANY_SEPARATORS.join(characters) or None


def _valid_dates(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)}
    except ValueError:
        return set()


def _dates_in(query: str) -> tuple[list[set[date]], str]:
    """The birth dates the query names (each a set of readings) and the query without them."""
    found: list[set[date]] = []

    def iso(match: re.Match) -> str:
        year, month, day = map(int, match.groups())
        found.append(_valid_dates(year, month, day))
        return " "

    def numeric(match: re.Match) -> str:
        first, second, year = map(int, match.groups())
        found.append(_valid_dates(year, second, first) | _valid_dates(year, first, second))
        return " "

    def written(match: re.Match) -> str:
        month = _MONTHS.get(match.group(2).lower())
        if month is None:  # "12 Main 2020" is no date: left to the words
            return match.group(0)
        found.append(_valid_dates(int(match.group(3)), month, int(match.group(1))))
        return " "

    for pattern, reading in ((_ISO_DATE, iso), (_NUMERIC_DATE, numeric), (_WRITTEN_DATE, written)):
        query = pattern.sub(reading, query)
    return found, query


def phone_numbers(typed: str) -> set[str]:
    """The national numbers a typed phone number may be, as digits: "+44 20 7946 0123" ->
    {"42079460123", "2079460123", "079460123"} (its country code is not known), "020 7946
    0123" -> {"2079460123"} (the trunk 0 dropped); none shorter than PHONE_MIN_DIGITS."""
    digits = re.sub(r"\D", "", typed)
    plus = typed.lstrip().startswith("+")
    if plus or digits.startswith("00"):
        international = digits if plus else digits.removeprefix("00")
        numbers = {international[length:] for length in _COUNTRY_CODE_LENGTHS}
    else:
        numbers = {digits.removeprefix("0")}
    return {number for number in numbers if len(number) >= PHONE_MIN_DIGITS}


def phone_pattern(number: str) -> str:
    """A regular expression matching the digits of ``number`` in a stored phone, whatever
    stands between them (spaces, dashes, a country prefix before them)."""
    return "[^0-9]*".join(number)


def _phones_in(query: str) -> tuple[list[tuple[str, set[str]]], str]:
    """The phone numbers the query holds (each as typed, with its readings) and the query
    without them."""
    found: list[tuple[str, set[str]]] = []

    def phone(match: re.Match) -> str:
        numbers = phone_numbers(match.group(0))
        if not numbers:
            return match.group(0)
        found.append((match.group(0), numbers))
        return " "

    return found, _PHONE.sub(phone, query)


def _phone_filter(typed: str, numbers: set[str]) -> Q:
    """A phone typed matches the stored phone, or (digits being what record numbers hold)
    every word of it matches as a word would."""
    match = Q()
    for number in sorted(numbers):
        match |= Q(phone__regex=phone_pattern(number))
    as_words = Q()
    for word in search_words(typed):
        as_words &= _word_filter(word)
    return match | as_words


def _word_filter(word: str) -> Q:
    match = Q(first_name__iregex=name_pattern(word)) | Q(last_name__iregex=name_pattern(word))
    number = record_number_pattern(word)
    if number is not None:
        match |= Q(medical_record_number__iregex=number)
    return match


def patient_search_filter(query: str) -> Q:
    """The filter on Patient matching every word, birth date and phone of ``query`` (see
    above).

    A date that is no calendar date (31/02/1980) matches nobody."""
    dates, rest = _dates_in(query)
    phones, rest = _phones_in(rest)
    wanted = Q()
    for readings in dates:
        wanted &= Q(date_of_birth__in=sorted(readings)) if readings else Q(pk__in=[])
    for typed, numbers in phones:
        wanted &= _phone_filter(typed, numbers)
    for word in search_words(rest):
        wanted &= _word_filter(word)
    return wanted
