"""Bylines: the printed byline line -> authors, translators and an agency/source credit.

The portal prints bylines by hand, so separators and spacing vary (``Hữu Bằng- Thanh Hiểu``,
``By Phuong Phuong –Translated by Dinh Thanh``, ``CTV Kim Hoàng –``). Vietnamese personal names
never contain hyphens, so every hyphen or dash separates names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.normalize.text import clean_text

__all__ = ["Byline", "parse_byline"]


@dataclass(frozen=True)
class Byline:
    """A parsed byline."""

    authors: list[str] = field(default_factory=list)
    """Writers (and photographers credited in the byline), in printed order, no repeats."""
    translators: list[str] = field(default_factory=list)
    """Names after "Translated by" (English edition) or "Dịch:"."""
    source_credit: str | None = None
    """The agency or outlet the piece is taken from ("TTXVN", "Báo Tây Ninh"); several "; "-joined."""


_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEP_CHARS = f"[{_DASHES},;&|]"

# "Translated by", "Dịch:", "Người dịch:" ...: everything after is translators.
_TRANSLATOR_RE = re.compile(
    rf"(?:^|(?<=[\s{_DASHES},;|]))(?:translated\s+by|translation\s+by|translations?\s*:|translators?\s*:"
    r"|ng[ưu][ờo]i\s+d[ịi]ch\s*:|bi[êe]n\s+d[ịi]ch\s*:|l[ưu][ợo]c\s+d[ịi]ch\s*:|d[ịi]ch\s*:)\s*:?\s*",
    re.IGNORECASE,
)

# An agency/source label; everything after it is the credit. "Theo" is Vietnamese for
# "according to"; in English bylines (those with "by") it would be a first name, so it is only a
# label in Vietnamese ones. Each label carries its own spacing so "Nguồn:Báo X" works too.
_CREDIT_LABELS_COMMON = r"ngu[ồo]n\s*:\s*|sources?\s*:\s*|according\s+to\s+|courtesy\s+of\s+"
_CREDIT_LABELS_VI = rf"theo\s+|ngu[ồo]n\s+|{_CREDIT_LABELS_COMMON}"
_CREDIT_LABELS_EN = _CREDIT_LABELS_COMMON
# A label starts the text or follows a separator. A lookbehind rather than a consumed run of
# separators keeps the search linear ("- - - - …" would otherwise backtrack quadratically); the
# separators left before the label are trimmed with the names.
_BOUNDARY = rf"(?:^|(?<=[\s{_DASHES},;|]))"
_CREDIT_RE_VI = re.compile(rf"{_BOUNDARY}(?:{_CREDIT_LABELS_VI})(?P<credit>.+)$", re.IGNORECASE)
_CREDIT_RE_EN = re.compile(rf"{_BOUNDARY}(?:{_CREDIT_LABELS_EN})(?P<credit>.+)$", re.IGNORECASE)

_PAREN_RE = re.compile(r"\(([^()]*)\)")

# Labels in front of names. Vietnamese labels need their colon ("Bài:") because the bare words
# are ordinary words; roles (CTV = collaborator, PV = reporter, BTV = editor) need no colon.
_PREFIX_RE = re.compile(
    r"^(?:"
    r"(?:(?:written|story|text|words|article|report(?:ed)?|photos?)"
    r"(?:\s*(?:and|&|,)\s*photos?)?\s+)?by\b\s*:?"
    r"|(?:story|text|words|photos?|pictures?)(?:\s*(?:and|&|,|/)\s*photos?)?\s*:"
    r"|(?:authors?|t[áa]c\s+gi[ảa])\s*:"
    r"|bởi\b\s*:?"
    r"|(?:b[àa]i|tin|[ảa]nh|th[ơo]|clip|video|đ[ồo]\s+h[ọo]a|ghi\s+ch[ée]p|th[ựu]c\s+hi[ệe]n"
    r"|nh[óo]m\s+(?:pv|ph[óo]ng\s+vi[êe]n))"
    r"(?:\s*(?:v[àa]|,|/|&|-)\s*(?:[ảa]nh|video|clip))?\s*:"
    r"|(?:ctv|pv|btv|ph[óo]ng\s+vi[êe]n|c[ộo]ng\s+t[áa]c\s+vi[êe]n)\b\.?\s*:?"
    r")\s*",
    re.IGNORECASE,
)
# A name segment that is only a role marker ("Kim Hoàng (CTV)") carries no name.
_ROLE_ONLY_RE = re.compile(
    r"(?:ctv|pv|btv|ph[óo]ng\s+vi[êe]n|c[ộo]ng\s+t[áa]c\s+vi[êe]n)", re.IGNORECASE
)

_NAME_SPLIT_RE = re.compile(rf"\s*{_SEP_CHARS}\s*|\s+(?:v[àa]|and)\s+", re.IGNORECASE)
# Punctuation that surrounds a name in print ("Thanh Hải./.", "- Hữu Bằng", '"Út"').
_NAME_TRIM = f" .:/{_DASHES},;|*\"'\u201c\u201d"

# An agency written as a bare token: an upper-case acronym (TTXVN, VNA, VOV) or something with
# "/" or "+" (TTXVN/Vietnam+). Names have spaces, mixed case and neither character.
_AGENCY_TOKEN_RE = re.compile(r"[A-Z][A-Z0-9&.]{2,}|\S*[/+]\S*")
# Outlets named with a word for "newspaper", "magazine", "news agency", "portal". "Đài" (station)
# is left out among names because it also begins personal pen names; in parentheses it counts.
# Only with their diacritics: English bylines write names without them, and "Bao" (Bảo) is a
# common name ("By Bao Tram"), while "Báo" is the newspaper.
_OUTLET_RE = re.compile(
    r"(?:báo|tạp\s+chí|thông\s+tấn|cổng\s+thông\s+tin|trang\s+tin)\s",
    re.IGNORECASE,
)
_PAREN_OUTLET_RE = re.compile(r"(?:đ[àa]i|ttxvn|vna|vov|vtv)\b", re.IGNORECASE)


# A reporter's initials ("T.H", "Q.T.", "N.T.M"): a name, though upper-case like an acronym.
_INITIALS_RE = re.compile(r"(?:[A-ZĐ]\.){1,3}[A-ZĐ]\.?")


def _is_agency(text: str, in_parentheses: bool = False) -> bool:
    if _INITIALS_RE.fullmatch(text):
        return False
    if _AGENCY_TOKEN_RE.fullmatch(text) or _OUTLET_RE.match(text):
        return True
    return in_parentheses and bool(_PAREN_OUTLET_RE.match(text))


def _strip_prefixes(text: str) -> str:
    while True:
        stripped = _PREFIX_RE.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _names(text: str, credits: list[str]) -> list[str]:
    """Split a run of names; segments that are agencies go to ``credits``."""
    names: list[str] = []
    for segment in _NAME_SPLIT_RE.split(_strip_prefixes(text.strip(_NAME_TRIM))):
        name = _strip_prefixes(segment.strip(_NAME_TRIM)).strip(_NAME_TRIM)
        name = " ".join(name.split())
        if not name or _ROLE_ONLY_RE.fullmatch(name):
            continue
        if _is_agency(name):
            credits.append(name)
        elif name not in names:
            names.append(name)
    return names


_ENGLISH_RE = re.compile(r"\bby\b", re.IGNORECASE)


def _credit(text: str) -> str | None:
    credit = " ".join(text.split()).strip(_NAME_TRIM)
    return credit or None


def parse_byline(raw: str | None) -> Byline:
    """Parse a byline as printed; None or an empty string gives an empty ``Byline``.

    Order of work: parenthesised notes ("(Translated by …)", "(Theo TTXVN)", "(TTXVN/Vietnam+)")
    are classified and removed; then the text after a translator label becomes translators; then a
    trailing "Theo …"/"Nguồn: …"/"Source: …" becomes the source credit; what is left is split
    into author names with labels ("By", "Bài và ảnh:", "CTV") removed.
    """
    text = clean_text(raw)
    if text is None:
        return Byline()

    english = bool(_ENGLISH_RE.search(text))
    credit_re = _CREDIT_RE_EN if english else _CREDIT_RE_VI

    authors: list[str] = []
    translators: list[str] = []
    credits: list[str] = []

    def paren_note(match: re.Match[str]) -> str:
        inner = " ".join(match.group(1).split())
        translated = _TRANSLATOR_RE.match(inner)
        if translated is not None:
            translators.extend(_names(inner[translated.end() :], credits))
            return " "
        if _ROLE_ONLY_RE.fullmatch(inner):
            return " "
        labelled = credit_re.match(inner)
        if labelled is not None:
            credit = _credit(labelled.group("credit"))
            if credit:
                credits.append(credit)
            return " "
        if _is_agency(inner, in_parentheses=True):
            credits.append(inner)
        # Anything else in parentheses (a role like "(CTV)", a place) is not part of a name.
        return " "

    text = _PAREN_RE.sub(paren_note, text)

    translated = _TRANSLATOR_RE.search(text)
    if translated is not None:
        translators.extend(_names(text[translated.end() :], credits))
        text = text[: translated.start()]

    credited = credit_re.search(text)
    if credited is not None:
        credit = _credit(credited.group("credit"))
        if credit:
            credits.append(credit)
        text = text[: credited.start()]

    authors.extend(_names(text, credits))

    unique_credits = list(dict.fromkeys(credits))
    return Byline(
        authors=authors,
        translators=list(dict.fromkeys(translators)),
        source_credit="; ".join(unique_credits) or None,
    )
