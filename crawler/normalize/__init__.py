"""Pure normalizers (no Scrapy): text rules and decoding, dates, bylines, captions, language."""

from crawler.normalize.bylines import Byline, parse_byline
from crawler.normalize.captions import split_caption
from crawler.normalize.dates import ParsedDate, parse_published
from crawler.normalize.language import detect_language
from crawler.normalize.text import (
    clean_block,
    clean_raw,
    clean_text,
    decode_html,
    has_replacement,
    normalize_strings,
)

__all__ = [
    "Byline",
    "ParsedDate",
    "clean_block",
    "clean_raw",
    "clean_text",
    "decode_html",
    "detect_language",
    "has_replacement",
    "normalize_strings",
    "parse_byline",
    "parse_published",
    "split_caption",
]
