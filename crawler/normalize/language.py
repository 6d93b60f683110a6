"""Content language of an article: Vietnamese or English.

The host only tells the chrome's language (English articles are also served on the Vietnamese
host), so the language is read from the text. Two cheap signals suffice for a two-way choice:
function words, which dominate any paragraph, and the share of letters that only Vietnamese
uses (ă â đ ê ô ơ ư and tone marks). Function words decide first because English articles are
full of Vietnamese place and person names (Tân An, Cần Giuộc, Nguyễn Văn Út), which push the
letter share up in short texts.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["detect_language"]

# Precomposed lower-case Vietnamese letters that English does not use. Text is NFC-normalised and
# lower-cased first, so NFD input and capitals count too.
_VI_LETTER_RE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")

# Frequent Vietnamese function words, with and without diacritics (some pages drop them).
# Excluded: "an" (Long An, Tân An) and anything that is also an English word.
_VI_WORDS_TEXT = """
và của là các những có được trong cho với người không này đã một để khi từ tại theo đến về cũng
như nhiều sẽ còn hơn đó thì mà nên vì đang việc nhằm tỉnh huyện xã
cua cac nhung duoc nguoi khong voi cung nhieu viec tinh huyen
"""
# "an" is left out: it is half of "Long An" and "Tân An".
_EN_WORDS_TEXT = """
the and of to in is are was were for that with on by this has have had from at as its be been
will which it their they he she his her or not but who also said would about after more than
"""
_VI_WORDS = frozenset(_VI_WORDS_TEXT.split())
_EN_WORDS = frozenset(_EN_WORDS_TEXT.split())

_WORD_RE = re.compile(r"[^\W\d_]+")
# Punctuation around words (none of it a letter, a digit or "_"): a token that is letters once it
# is stripped holds exactly that one word.
_PUNCT = ".,:;!?\"()“”‘’'-–—…/[]%"

# Only the start of the text is read: a few paragraphs settle the verdict, and reading whole
# bodies would cost more than parsing the page.
_SAMPLE = 3_000
# Function-word hits needed before they alone decide.
_MIN_WORD_HITS = 4
# Share of Vietnamese-only letters among all letters above which short text counts as Vietnamese.
# Vietnamese prose sits around 0.2-0.3; an English sentence with a few names stays far lower.
_VI_LETTER_SHARE = 0.10


def _words(sample: str) -> list[str]:
    """`_WORD_RE.findall(sample)` at half the cost: most whitespace-separated tokens are
    letters only (`isalpha` in C); only tokens with punctuation or digits go through the regex."""
    out: list[str] = []
    for token in sample.split():
        if token.isalpha():
            out.append(token)
            continue
        word = token.strip(_PUNCT)  # "word," "(word)": the one word the regex would find
        if word.isalpha():
            out.append(word)
        else:
            out.extend(_WORD_RE.findall(token))
    return out


def detect_language(text: str, default: str = "vi") -> str:
    """Return ``"vi"`` or ``"en"`` for ``text``; ``default`` when it has no letters at all."""
    sample = unicodedata.normalize("NFC", text[:_SAMPLE]).lower()
    words = _words(sample)
    if not words:
        return default

    vi_hits = en_hits = 0
    for w in words:
        if w in _VI_WORDS:
            vi_hits += 1
        elif w in _EN_WORDS:
            en_hits += 1
    if vi_hits + en_hits >= _MIN_WORD_HITS and vi_hits != en_hits:
        return "vi" if vi_hits > en_hits else "en"

    letters = sum(len(w) for w in words)
    vi_letters = len(_VI_LETTER_RE.findall(sample))
    if vi_letters / letters >= _VI_LETTER_SHARE:
        return "vi"
    if en_hits > vi_hits or (vi_letters == 0 and sample.isascii()):
        return "en"
    return default if vi_hits == en_hits else "vi"
