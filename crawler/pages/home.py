"""Home pages of both editions: a listing page without pagination of its own.

The home page's boxes (one per section, "most read" and the like) are told apart by the same
rules as a section listing's, so it is parsed by `parse_listing`; its entries name no section
(docs/contract.md: a record's sections come from section listings only).
"""

from crawler.pages.listing import Listing, parse_listing

__all__ = ["Listing", "parse_home"]

parse_home = parse_listing
