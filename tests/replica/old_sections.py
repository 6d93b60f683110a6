"""Old section URLs (`--old-sections`): docs/site.md says a 2020 spider listed `/phap-luat/` and
`/quoc-phong-an-ninh/`, and that old section URLs may still serve old articles after the menu
changed. With the flag the vi host serves those two listings (paginated like every section) for a
share of its articles published before OLD_BEFORE, and no menu names them; where the seed's menu
already has `phap-luat` (an extra section some seeds draw), only the other one is old.

The truth file lists the old section among such an article's sections: a crawl that tries the
old URLs finds it there."""

from __future__ import annotations

import threading
from datetime import datetime

from . import text as T
from .model import TZ, Section, Site

OLD = (
    Section("vi", "phap-luat", "Pháp luật", None, assignable=False),
    Section("vi", "quoc-phong-an-ninh", "Quốc phòng - An ninh", None, assignable=False),
)
OLD_BEFORE = datetime(2020, 1, 1, tzinfo=TZ)
SHARE = 25  # percent of the old vi articles the old sections list


class OldSections:
    def __init__(self, site: Site) -> None:
        self.site = site
        current = {s.slug for s in site.cfg.sections["vi"]}
        self.sections = tuple(s for s in OLD if s.slug not in current)
        self._index: dict[str, list[int]] | None = None
        self._lock = threading.Lock()

    def get(self, host: str, slug: str) -> Section | None:
        if host != "vi":
            return None
        return next((s for s in self.sections if s.slug == slug), None)

    def _section_of(self, p: int) -> Section | None:
        site = self.site
        if not self.sections or site.lang(p) != "vi" or p in site.unlisted:
            return None
        h = T.h64(site.seed, "old-section", p)
        if h % 100 >= SHARE or site.dt(p) >= OLD_BEFORE:
            return None
        return self.sections[(h // 100) % len(self.sections)]

    def positions(self, slug: str) -> list[int]:
        """Articles an old section lists, newest first."""
        with self._lock:
            if self._index is None:
                index: dict[str, list[int]] = {}
                for p in range(self.site.top - 1, -1, -1):
                    sec = self._section_of(p) if self.site.live(p) else None
                    if sec is not None:
                        index.setdefault(sec.slug, []).append(p)
                self._index = index
        return self._index.get(slug, [])

    def sections_of(self, p: int) -> list[Section]:
        sec = self._section_of(p)
        return [sec] if sec is not None else []
