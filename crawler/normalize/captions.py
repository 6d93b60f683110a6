"""Image captions: the caption line -> (caption, photo credit).

Captions on the portal are an ``em`` under each image. Known irregularities: the English edition
sometimes prints a caption twice, credits trail the caption in several spellings (``(Ảnh: …)``,
``(Photo: …)``, ``Photograph: …``), the image ``title`` attribute repeats the article title, and
some captions are only the uploaded file's name.
"""

from __future__ import annotations

import re

from crawler.normalize.text import clean_text

__all__ = ["split_caption"]

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# Credit labels. "Ảnh/Photo" (bilingual) and "Nguồn ảnh" (photo source) occur as well.
_LABEL = (
    r"(?:(?:[ảa]nh|photos?|photograph(?:s|er)?|pictures?|ngu[ồo]n(?:\s+[ảa]nh)?|sources?)"
    r"(?:\s*/\s*(?:[ảa]nh|photos?))?\s*[:：]"
    r"|photos?\s+by\b|photographs?\s+by\b)"
)

# A credit in parentheses at the end: "(Ảnh: KDL cung cấp)", "(photo: Chi Tam)", possibly
# followed by a stray period.
_PAREN_CREDIT_RE = re.compile(rf"\(\s*(?P<inner>{_LABEL}[^()]*)\)[\s.]*$", re.IGNORECASE)

# A bare credit at the end. After a sentence end or a dash any case goes ("... dân. photo: X");
# after a plain space the label must be capitalised, because lower-case "ảnh:" inside a sentence
# is an ordinary word ("Triển lãm ảnh: ...").
_BARE_AFTER_PUNCT_RE = re.compile(
    rf"(?:^|(?<=[.!?…])\s*|\s*[{_DASHES}|]\s*)(?P<inner>{_LABEL}[^()]*)$", re.IGNORECASE
)
_BARE_AFTER_SPACE_RE = re.compile(
    r"\s(?P<inner>(?:Ảnh|ẢNH|Photo|PHOTO|Photos|Photograph|Nguồn|Source)"
    r"(?:\s*/\s*(?:[ảa]nh|photos?))?\s*[:：][^()]*)$"
)

# An agency's credit after a dash, English news style: "… — VNA/VNS Photo Le Duc Hoa".
_AGENCY_PHOTO_RE = re.compile(
    r"\s*[\u2013\u2014]\s*(?P<inner>[A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z]{1,9})?\s+"
    r"(?:Photos?|Photograph)\s+[^()]{2,60})$"
)

_LABEL_RE = re.compile(rf"^{_LABEL}\s*", re.IGNORECASE)
# Inside one pair of parentheses several labelled credits may follow each other:
# "(Ảnh: A - Photo: B)", "(Ảnh: A; Photo: B)".
_INNER_SPLIT_RE = re.compile(rf"\s*[{_DASHES};,.|]\s*(?={_LABEL})", re.IGNORECASE)

_CREDIT_TRIM = f" .,;:{_DASHES}|"
_CAPTION_TRIM = f" ,;:{_DASHES}|"

# A caption that is only an uploaded file's name ("IMG_1234.jpg", "anh 1.webp", a URL).
_FILENAME_RE = re.compile(
    r"(?:https?://\S+|[\w\-.()~%+ ]{1,150})\.(?:jpe?g|jfif|png|gif|webp|bmp|tiff?|heic|avif|svg)",
    re.IGNORECASE,
)

# Shortest text whose repetition counts as a duplicated caption; below this, "Bye Bye" or
# "Hoo" are more likely the real caption than a CMS glitch.
_MIN_DUPLICATE_LEN = 4


def _collapse_duplicate(text: str) -> str:
    """``X X`` / ``XX`` (also three copies) -> ``X``: the whole caption printed again in place."""
    n = len(text)
    for copies in (2, 3):
        for sep in (" ", ""):
            size, rest = divmod(n - (copies - 1) * len(sep), copies)
            if rest or size < _MIN_DUPLICATE_LEN:
                continue
            part = text[:size]
            if sep.join([part] * copies) == text:
                return part.strip()
    return text


def _credits_from(inner: str) -> list[str]:
    credits = []
    for piece in _INNER_SPLIT_RE.split(inner):
        credit = _LABEL_RE.sub("", piece.strip(), count=1).strip(_CREDIT_TRIM)
        if credit:
            credits.append(" ".join(credit.split()))
    return credits


def _split_trailing_credits(text: str) -> tuple[str, list[str]]:
    """Peel credits off the end of ``text``, last first; return the rest and the credits in order."""
    found: list[list[str]] = []
    while text:
        match = (
            _PAREN_CREDIT_RE.search(text)
            or _BARE_AFTER_PUNCT_RE.search(text)
            or _BARE_AFTER_SPACE_RE.search(text)
            or _AGENCY_PHOTO_RE.search(text)
        )
        if match is None:
            break
        found.append(_credits_from(match.group("inner")))
        text = text[: match.start()].rstrip()
    credits = [credit for group in reversed(found) for credit in group]
    return text, list(dict.fromkeys(credits))


def _same_text(a: str, b: str) -> bool:
    return a.casefold().rstrip(" .") == b.casefold().rstrip(" .")


def split_caption(
    raw: str | None, article_title: str | None = None
) -> tuple[str | None, str | None]:
    """Split a caption line into ``(caption, credit)``.

    The line is cleaned (display-field rule) and an in-place duplication collapsed first. A line
    equal to the article title (the image ``title`` attribute leaking) or that is only a file name
    gives ``(None, None)``. Trailing credits (``(Ảnh: X)``, ``(Photo: X)``, ``Photograph: X``,
    ``Ảnh: X``, several of them, or several inside one pair of parentheses) are removed from the
    caption; their texts, without label and parentheses, are joined with ``"; "``.
    """
    text = clean_text(raw)
    if text is None:
        return None, None
    text = _collapse_duplicate(text)

    title = clean_text(article_title)
    if title is not None and _same_text(text, title):
        return None, None
    if _FILENAME_RE.fullmatch(text):
        return None, None

    text, inside = _split_inner_credits(text)
    caption, credits = _split_trailing_credits(text)
    caption = _collapse_duplicate(caption.strip(_CAPTION_TRIM))
    return caption or None, "; ".join(dict.fromkeys([*inside, *credits])) or None


# A labelled credit in parentheses inside the caption, text following it: "… xã Phước Lại (Ảnh:
# Mai Hương) và điểm tiêm lưu động …", one photo of two scenes credited scene by scene.
_INNER_CREDIT_RE = re.compile(rf"\s*\(\s*(?P<inner>{_LABEL}[^()]*)\)(?=\s*[^\s.)])", re.IGNORECASE)


def _split_inner_credits(text: str) -> tuple[str, list[str]]:
    """Credits in parentheses inside the caption, taken out (in order), the words around joined."""
    credits: list[str] = []

    def take(m: re.Match[str]) -> str:
        credits.extend(_credits_from(m.group("inner")))
        return ""

    return _INNER_CREDIT_RE.sub(take, text), credits
