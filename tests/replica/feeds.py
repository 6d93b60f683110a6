"""Sitemaps and the RSS feed (`--sitemap`): docs/site.md marks both unknown, so the replica serves
them only when asked, and a crawler must do without them.

- robots.txt names `Sitemap: <production host>/sitemap.xml` of its own edition;
- `/sitemap.xml` is a sitemap index of one sitemap per month, `/sitemaps/<YYYY>-<MM>.xml`, newest
  first; each lists every live article of the edition published that month (`<loc>` in production
  form, `<lastmod>`), articles hidden from the listings (--unlisted) included;
- the home page names `/rss/home.rss` in a `<link rel="alternate" type="application/rss+xml">`;
  the feed holds the edition's 20 newest listed articles.

Which edition an article belongs to is its language here, as for the listings.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .model import PROD, SITE_NAME

if TYPE_CHECKING:
    from .model import Site

RSS_ITEMS = 20
FEED_LINK = '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/home.rss">\n'


class Feeds:
    def __init__(self, site: Site) -> None:
        self.site = site
        self._months: dict[str, dict[str, list[int]]] | None = None
        self._lock = threading.Lock()

    def months(self, host: str) -> dict[str, list[int]]:
        """`YYYY-MM` -> positions of the edition's live articles published that month."""
        with self._lock:
            if self._months is None:
                out: dict[str, dict[str, list[int]]] = {"vi": {}, "en": {}}
                site = self.site
                for p in range(site.top):
                    if site.live(p):
                        out[site.lang(p)].setdefault(site.dt(p).strftime("%Y-%m"), []).append(p)
                self._months = out
        return self._months[host]

    def robots_lines(self, host: str) -> str:
        return f"Sitemap: {PROD[host]}/sitemap.xml\n"

    def sitemap_index(self, host: str) -> str:
        entries = "".join(
            f"<sitemap><loc>{PROD[host]}/sitemaps/{month}.xml</loc></sitemap>\n"
            for month in sorted(self.months(host), reverse=True)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n"
        )

    def month_sitemap(self, host: str, month: str) -> str | None:
        positions = self.months(host).get(month)
        if positions is None:
            return None
        site = self.site
        urls = "".join(
            f"<url><loc>{escape(PROD[host] + site.path(p))}</loc>"
            f"<lastmod>{site.dt(p).isoformat()}</lastmod></url>\n"
            for p in positions
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        )

    def rss(self, host: str) -> str:
        site = self.site
        items = "".join(
            f"<item><title>{escape(site.title(p))}</title>"
            f"<link>{escape(PROD[host] + site.path(p))}</link>"
            f"<pubDate>{site.dt(p).strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>\n"
            for p in site.latest(host, RSS_ITEMS)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{escape(SITE_NAME[host])}</title><link>{PROD[host]}/</link>\n"
            f"{items}</channel></rss>\n"
        )

    def page(self, host: str, path: str) -> tuple[str, str] | None:
        """(body, content type) of a sitemap or feed path, else None."""
        if path == "/sitemap.xml":
            return self.sitemap_index(host), "application/xml"
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            body = self.month_sitemap(host, path[len("/sitemaps/") : -len(".xml")])
            return (body, "application/xml") if body is not None else None
        if path == "/rss/home.rss":
            return self.rss(host), "application/rss+xml"
        return None
