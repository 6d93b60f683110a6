"""Page modules: every selector of the portal, one module per page type.

Pure functions of (decoded HTML, the URL it was fetched from, Editions): no Scrapy, no I/O.
"""

from crawler.pages.album import parse_album
from crawler.pages.article import parse_article
from crawler.pages.common import Extraction
from crawler.pages.listing import Listing, MenuSection, parse_listing

__all__ = ["Extraction", "Listing", "MenuSection", "parse_album", "parse_article", "parse_listing"]
