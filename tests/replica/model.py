"""The replica's data model: what the site *meant to publish*, generated lazily per item.

Positions
    Articles live on a position axis `0..M-1` (the epoch-0 archive, oldest first) followed by
    `M, M+1, ...` (articles added by epochs 1, 2, ...: `NEW_PER_EPOCH` each). A position maps to an
    article id monotonically (ids ~5,900..197,500 with gaps; new articles above the old maximum), and
    to a publication time monotonic in the position. Every 100th base position is a *ghost*: an id
    that was published, linked from other bodies, and deleted before epoch 0 (404).

Everything is a pure function of (seed, position) except the few tables built at start-up
(specials, epoch edits and deletions), so 100,000 articles cost nothing until they are asked for.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import quote

from . import text as T

TZ = timezone(timedelta(hours=7))
PROD = {"vi": "https://baolongan.vn", "en": "https://news.baolongan.vn"}
IMG_HOST = "https://www.baolongan.vn"
OLD_IMG_HOST = "http://image.baolongan.vn"
ALBUM_PREFIX = {"vi": "xem", "en": "view"}
SITE_NAME = {"vi": "Báo Long An", "en": "Long An Online"}

ID_LO, ID_HI = 5_900, 197_500
GHOST_EVERY = 100
LINK_WINDOW = 30  # a body links articles at most this many positions older
LINK_P = 0.035
XPOST_P = 0.30  # share of English articles also linked from Vietnamese bodies
EN_P = 0.25
# Closing source lines (docs/site.md "Bylines and credits as printed"): every (TTXVN/Vietnam+) piece
# names its original with "Nguồn: <url>"; this share of translated English articles names the
# Vietnamese original with "Source: <portal url>", picked among the nearest older Vietnamese
# positions (a ghost or a deleted one leaves the pair's other half missing from the archive).
SOURCE_EN_P = 0.5
SOURCE_WINDOW = 40
SOURCE_FORMS = ("p", "right", "em")
AGENCY_HOSTS = ("https://www.vietnamplus.vn", "https://baotintuc.vn")

# Epoch changes (cumulative: epoch K applies epochs 1..K). Documented in the package docstring.
NEW_PER_EPOCH = 12  # 9 vi + 3 en, dated --today, ids above every older id
NEW_EN_EVERY = 4  # the j-th new article of an epoch is English when j % 4 == 3
EDITS_RECENT, EDITS_OLD = 4, 2  # published within / before the 30 days before --today
DELETES_RECENT, DELETES_OLD = 2, 2
EDIT_KINDS_RECENT = ("title", "body", "caption", "title")
EDIT_KINDS_OLD = ("body", "caption")
RECENT_DAYS = 30

BREAKABLE = ("title", "kicker", "lead", "published", "byline", "body", "images", "captions")


# ---------------------------------------------------------------------------------------------------------
# Per-seed site configuration (everything docs/site.md marks unknown)


@dataclass(frozen=True)
class Section:
    edition: str
    slug: str  # full path without slashes: "thoi-su-chinh-tri/long-an"
    name: str  # menu label
    parent: str | None = None
    assignable: bool = True  # articles can be filed directly here
    albums: bool = False  # the photo-album listing

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


VI_NAMES = {
    "thoi-su-chinh-tri": ["Thời sự - Chính trị", "Thời sự chính trị", "Thời sự – Chính trị"],
    "thoi-su-chinh-tri/long-an": ["Long An", "Tin Long An", "Thời sự Long An"],
    "thoi-su-chinh-tri/he-thong-chinh-tri": ["Hệ thống chính trị", "Xây dựng Đảng"],
    "kinh-te": ["Kinh tế", "Kinh tế"],
    "kinh-te/nong-nghiep": ["Nông nghiệp", "Nông nghiệp - Nông thôn", "Tam nông"],
    "kinh-te/moi-truong-do-thi": [
        "Môi trường - Đô thị",
        "Môi trường đô thị",
        "Đô thị & Môi trường",
    ],
    "doi-song-xa-hoi": ["Đời sống - Xã hội", "Đời sống xã hội", "Xã hội"],
    "van-hoa-giai-tri": ["Văn hóa - Giải trí", "Văn hóa giải trí", "Văn hóa – Văn nghệ"],
    "quoc-phong": ["Quốc phòng", "Quốc phòng - An ninh"],
    "quoc-phong/thong-tin-quoc-phong": ["Thông tin quốc phòng", "Tin quốc phòng"],
}
VI_TREE = [
    ("thoi-su-chinh-tri", ["thoi-su-chinh-tri/long-an", "thoi-su-chinh-tri/he-thong-chinh-tri"]),
    ("kinh-te", ["kinh-te/nong-nghiep", "kinh-te/moi-truong-do-thi"]),
    ("doi-song-xa-hoi", []),
    ("van-hoa-giai-tri", []),
    ("quoc-phong", ["quoc-phong/thong-tin-quoc-phong"]),
]
VI_EXTRA = [  # (slug, name, parent)
    ("the-thao", "Thể thao", None),
    ("phap-luat", "Pháp luật", None),
    ("kinh-te/doanh-nghiep", "Doanh nghiệp", "kinh-te"),
    ("doi-song-xa-hoi/giao-duc", "Giáo dục", "doi-song-xa-hoi"),
    ("du-lich", "Du lịch", None),
]
EN_SETS = [  # (slug, name, children[(slug, name)])
    [
        ("politics", "Politics", []),
        ("economy", "Economy", []),
        ("society", "Society", []),
        ("culture-sports", "Culture - Sports", []),
        ("national-defence", "National defence", []),
    ],
    [
        ("news", "News", [("news/politics", "Politics"), ("news/economy", "Economy")]),
        ("society", "Society", []),
        ("culture-tourism", "Culture & Tourism", []),
    ],
    [
        ("long-an-today", "Long An Today", []),
        ("business", "Business", [("business/investment", "Investment"), ("business/agriculture", "Agriculture")]),
        ("life", "Life", []),
        ("travel", "Travel", []),
    ],
    [
        ("thoi-su", "Current affairs", [("thoi-su/chinh-tri", "Politics")]),
        ("kinh-te", "Economy", []),
        ("van-hoa-xa-hoi", "Culture - Society", []),
    ],
]  # fmt: skip
ALBUM_SECTIONS = {
    "vi": [("album-anh", "Album ảnh"), ("phong-su-anh", "Phóng sự ảnh"), ("anh", "Ảnh")],
    "en": [("photo", "Photo"), ("photos", "Photos"), ("photo-album", "Photo album")],
}
CHROMES = ("fck", "classic", "modern")
PAGINATIONS = ("query", "trang", "page")


@dataclass(frozen=True)
class SiteConfig:
    chrome: dict[str, str]  # per edition: a template name, or "generated:<N>" with --chrome-seed N
    pagination: str
    page_size: int
    sections: dict[str, tuple[Section, ...]]  # menu order, parents before their children
    album_section: dict[str, Section]
    album_pid: int
    slugless: str
    absolute_listing_links: bool
    # The seed's own templates stay drawn (and decide facts the truth depends on, such as whether
    # album pages show a date) when --chrome-seed replaces them on the pages.
    base_chrome: dict[str, str] = field(default_factory=dict)
    chrome_seed: int | None = None


def make_config(
    seed: int, slugless: str | None = None, chrome_seed: int | None = None
) -> SiteConfig:
    r = T.rng(seed, "config")
    chrome_vi = r.choice(CHROMES)
    chrome_en = chrome_vi if r.random() < 0.4 else r.choice(CHROMES)
    base = {"vi": chrome_vi, "en": chrome_en}
    chrome = base if chrome_seed is None else dict.fromkeys(base, f"generated:{chrome_seed}")
    vi: list[Section] = []
    extra_slug, extra_name, extra_parent = r.choice(VI_EXTRA)
    for parent, children in VI_TREE:
        kids = list(children)
        if extra_parent == parent:
            kids.append(extra_slug)
        vi.append(Section("vi", parent, r.choice(VI_NAMES[parent]), None, assignable=not children))
        for c in kids:
            name = extra_name if c == extra_slug else r.choice(VI_NAMES[c])
            vi.append(Section("vi", c, name, parent))
    if extra_parent is None:
        vi.insert(r.randint(2, len(vi)), Section("vi", extra_slug, extra_name))
    en: list[Section] = []
    for slug, name, children in r.choice(EN_SETS):
        en.append(Section("en", slug, name, None, assignable=not children))
        en.extend(Section("en", cs, cn, slug) for cs, cn in children)
    album = {}
    for ed in ("vi", "en"):
        slug, name = r.choice(ALBUM_SECTIONS[ed])
        album[ed] = Section(ed, slug, name, None, assignable=False, albums=True)
    return SiteConfig(
        chrome=chrome,
        pagination=r.choice(PAGINATIONS),
        page_size=r.randint(10, 20),
        sections={"vi": (*vi, album["vi"]), "en": (*en, album["en"])},
        album_section=album,
        album_pid=r.choice([6, 25, 48, 112]),
        slugless=slugless or r.choice(["resolve", "strict"]),
        absolute_listing_links=r.random() < 0.5,
        base_chrome=base,
        chrome_seed=chrome_seed,
    )


def _office_hours(t: datetime) -> datetime:
    """Squeeze the time of day monotonically into newsroom hours: 00:00-00:45 stays (late posts
    exist), the rest of the day maps onto 05:30-22:30. Order within and across days is kept."""
    midnight = t.replace(hour=0, minute=0, second=0, microsecond=0)
    x = (t - midnight).total_seconds()
    if x >= 2700:
        x = 19800 + (x - 2700) * (61200 / (86400 - 2700))
    return midnight + timedelta(seconds=x)


# ---------------------------------------------------------------------------------------------------------
# Items


@dataclass(frozen=True)
class Link:
    href: str  # exactly as written in the body (production form, http/https/www variants)
    text: str
    target: int | None  # article id, None for other sites


@dataclass(frozen=True)
class Image:
    url: str  # production URL as in src (percent-encoding kept)
    pos: int
    form: str  # "A": caption em inside the image paragraph; "B": image div + caption paragraph
    parts: tuple[str, ...] | None  # caption em content split at <br>; None = no caption element
    caption: str | None
    credit: str | None

    @property
    def caption_raw(self) -> str | None:
        if self.parts is None:
            return None
        raw = " ".join(" ".join(self.parts).split())
        return raw or None


@dataclass(frozen=True)
class Block:
    kind: str  # "p" | "sub" | "img" | "ul" | "table"
    segments: tuple = ()  # "p": str | Link items; "sub": (text,); "ul": items; "table": rows
    image: Image | None = None
    style: str = ""  # served-only paragraph style


@dataclass(frozen=True)
class Byline:
    raw: str | None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class SourceLine:
    """A closing `Nguồn: <url>` / `Source: <url>` line after the byline."""

    label: str  # "Nguồn" | "Source"
    url: str  # as printed (production form)
    linked: bool  # printed as a link whose text is the URL, else as plain text
    form: str  # one of SOURCE_FORMS: how the line's paragraph is marked up
    target: int | None  # the portal article id it names; None for an external original


@dataclass(frozen=True)
class Article:
    pos: int
    aid: int
    lang: str  # content language = home edition
    title: str
    old_slugs: tuple[str, ...]
    kicker: str | None
    lead: str | None
    blocks: tuple[Block, ...]
    byline: Byline
    dt: datetime  # publication time (+07:00)
    show_date: bool
    modified: datetime
    version: int
    wrap_div: bool  # old CMS bodies sit in an extra <div>
    summary: str  # listing summary
    thumb: str
    source: SourceLine | None = None

    @functools.cached_property
    def slug(self) -> str:
        return T.slugify(self.title)

    @property
    def edition(self) -> str:
        return self.lang

    @property
    def path(self) -> str:
        return f"/{self.slug}-a{self.aid}.html"

    @property
    def canonical_url(self) -> str:
        return PROD[self.lang] + self.path

    @property
    def images(self) -> list[Image]:
        return [b.image for b in self.blocks if b.kind == "img"]

    @property
    def published_raw(self) -> str:
        return self.dt.strftime("%d/%m/%Y - %H:%M")

    @property
    def published_iso(self) -> str:
        return self.dt.strftime("%Y-%m-%dT%H:%M:%S+07:00")


@dataclass(frozen=True)
class Album:
    edition: str
    index: int
    album_id: int
    title: str
    description: str
    note: str | None  # "(Translated by …)" inside the description
    translators: tuple[str, ...]
    dt: datetime
    photos: tuple[Image, ...]
    thumb: str
    pid: int

    @property
    def slug(self) -> str:
        return T.slugify(self.title)

    @property
    def path(self) -> str:
        p = f"/{ALBUM_PREFIX[self.edition]}-albumphoto/{self.slug}.{self.album_id}.html"
        return f"{p}?pid={self.pid}" if self.edition == "vi" else p

    @property
    def canonical_url(self) -> str:
        return f"{PROD[self.edition]}/{ALBUM_PREFIX[self.edition]}-albumphoto/{self.slug}.{self.album_id}.html"

    def shown_description(self, breaks: frozenset[str]) -> str:
        """The description as printed; `--break byline` drops its "(Translated by …)" note."""
        if self.note and "byline" not in breaks:
            return f"{self.description} {self.note}"
        return self.description

    @property
    def published_raw(self) -> str:
        return self.dt.strftime("%d/%m/%Y - %H:%M")


@dataclass
class Specials:
    """Positions and pages singled out for irregular behaviour or rare content."""

    status: list[tuple[str, tuple[int, ...]]] = field(
        default_factory=list
    )  # (key, statuses by attempt)
    slow: list[tuple[str, float]] = field(default_factory=list)
    nfd: list[str] = field(default_factory=list)
    charset_lie: list[str] = field(default_factory=list)
    cp1258: list[str] = field(default_factory=list)
    # keys are "a:<pos>" (article), "al:<edition>:<index>" (album), "l:<edition>:<slug>:<page>"
    no_date: set[int] = field(default_factory=set)
    no_lead: set[int] = field(default_factory=set)
    positions: set[int] = field(default_factory=set)


# ---------------------------------------------------------------------------------------------------------
# The site


class Site:
    """The whole site at one epoch. Pure model: no HTML, no HTTP."""

    def __init__(
        self,
        articles: int = 200,
        seed: int = 0,
        epoch: int = 0,
        today: date | str = "2025-06-30",
        breaks: tuple[str, ...] | list[str] = (),
        slugless: str | None = None,
        chrome_seed: int | None = None,
        unlisted: int = 0,
        id_span: int | None = None,
    ) -> None:
        if articles < 20:
            raise ValueError("--articles must be at least 20")
        if epoch < 0:
            raise ValueError("--epoch must be >= 0")
        bad = set(breaks) - set(BREAKABLE)
        if bad:
            raise ValueError(f"unknown --break field(s) {sorted(bad)}; choose from {BREAKABLE}")
        self.n = articles
        self.seed = seed
        self.epoch = epoch
        self.today = date.fromisoformat(today) if isinstance(today, str) else today
        self.breaks = frozenset(breaks)
        self.cfg = make_config(seed, slugless, chrome_seed)
        self._h = {t: T.Hasher(seed, t) for t in ("idj", "lang", "xpost", "dtj", "sec", "link")}
        self.ghost_off = T.h64(seed, "ghost") % GHOST_EVERY
        m = articles
        while m - self._ghosts_below(m) < articles:
            m += 1
        self.M = m
        # recent pool: the last R positions, published within the 30 days before --today
        self.R = min(max(60, round(m * 0.015)), m // 3)
        # --id-span: base ids spread over that many ids instead of the real site's range, so a
        # small replica can have the dense id sequence of docs/site.md (id gaps are probeable).
        self.id_step = max(ID_HI - ID_LO if id_span is None else id_span, m) / m
        self.id_span = id_span
        self.last_base_id = self._base_id(m - 1)
        self.midnight = datetime(self.today.year, self.today.month, self.today.day, tzinfo=TZ)
        self.t0 = datetime(2015, 1, 5, 7, 0, tzinfo=TZ)
        old_pool = m - self.R
        picks = T.rng(seed, "oldt").sample(range(old_pool), max(1, round(old_pool * 0.015)) + 1)
        self.old_titled = frozenset(p for p in picks if p % GHOST_EVERY != self.ghost_off)
        # A margin on both sides of the 30-day line, so "recent" cannot depend on the hour of "now".
        self.recent_start = self.midnight - timedelta(days=RECENT_DAYS - 2) + timedelta(hours=6)
        self.old_end = self.midnight - timedelta(days=RECENT_DAYS + 1)
        self.lang = functools.lru_cache(maxsize=1 << 18)(self._lang)
        self.forced_linker = functools.lru_cache(maxsize=1 << 16)(self._forced_linker)
        self.outbound = functools.lru_cache(maxsize=1 << 14)(self._outbound)
        self.original_title = functools.lru_cache(maxsize=1 << 16)(self._original_title)
        self._special_dt: dict[int, datetime] = {}
        self._pick_special_time()
        self.n_albums = {"vi": max(2, articles * 3 // 160), "en": max(2, articles // 160)}
        self.unlisted: frozenset[int] = frozenset()  # chosen once the epochs are known
        self.specials = Specials()
        self._pick_specials()
        self.edits: dict[int, list[tuple[int, str]]] = {}
        self.deleted: dict[int, int] = {}
        self.article = functools.lru_cache(maxsize=4096)(self._article)
        self._pick_epochs()
        self.title = functools.lru_cache(maxsize=1 << 16)(self._title)  # needs the epoch edits
        self.unlisted = self._pick_unlisted(unlisted)
        if self.unlisted:  # bodies drawn while picking epochs may link them
            self.article.cache_clear()
        self.album = functools.lru_cache(maxsize=1024)(self._album)
        self._index_lock = threading.Lock()
        self._index: dict[tuple[str, str], list[int]] | None = None

    # -- positions and ids ------------------------------------------------------------------------------

    def _ghosts_below(self, m: int) -> int:
        return 0 if m <= self.ghost_off else (m - 1 - self.ghost_off) // GHOST_EVERY + 1

    @property
    def top(self) -> int:
        """One past the last position that exists at this epoch."""
        return self.M + NEW_PER_EPOCH * self.epoch

    def is_ghost(self, p: int) -> bool:
        return p < self.M and p % GHOST_EVERY == self.ghost_off

    def exists(self, p: int) -> bool:
        return 0 <= p < self.top

    def live(self, p: int) -> bool:
        return self.exists(p) and not self.is_ghost(p) and p not in self.deleted

    def _base_id(self, p: int) -> int:
        step = self.id_step
        jitter = self._h["idj"].int(p) % int(step) if step >= 2 else 0
        return ID_LO + int(p * step) + jitter

    def aid(self, p: int) -> int:
        if p < self.M:
            return self._base_id(p)
        n = p - self.M
        return self.last_base_id + 7 * (n + 1) - T.h64(self.seed, "nid", n) % 5

    def pos_of(self, aid: int) -> int | None:
        """Position of an article id (existing at this epoch or not), else None."""
        if aid <= self.last_base_id:
            guess, lo, hi = int((aid - ID_LO) / self.id_step), 0, self.M
        else:  # aid(M+n) lies in [last + 7n + 3, last + 7n + 7]
            guess, lo, hi = self.M + (aid - self.last_base_id - 3) // 7, self.M, self.top
        for p in range(guess - 1, guess + 2):
            if lo <= p < hi and self.aid(p) == aid:
                return p
        return None

    def _lang(self, p: int) -> str:
        if p >= self.M:
            return "en" if (p - self.M) % NEW_EN_EVERY == NEW_EN_EVERY - 1 else "vi"
        return "en" if self._h["lang"].frac(p) < EN_P else "vi"

    def crossposted(self, p: int) -> bool:
        return self.lang(p) == "en" and self._h["xpost"].frac(p) < XPOST_P

    def has_old_title(self, p: int) -> bool:
        """Retitled before epoch 0 (1.5% of the old pool, at least one): the old slug 301s."""
        return p in self.old_titled

    def dt(self, p: int) -> datetime:
        if p in self._special_dt:
            return self._special_dt[p]
        M, R = self.M, self.R
        j = 0.9 * self._h["dtj"].frac(p)
        if p >= M:  # epoch articles: --today from 06:00, 4 minutes apart
            return min(
                self.midnight + timedelta(hours=6, minutes=4 * (p - M)),
                self.midnight + timedelta(hours=23, minutes=59),
            )
        if p == M - 1:
            return self.midnight + timedelta(hours=5, minutes=59)
        if p >= M - R:  # up to yesterday; the newest (M-1) alone is on --today
            span = (self.midnight - self.recent_start) / R
            t = self.recent_start + span * ((p - (M - R)) + j)
        else:
            span = (self.old_end - self.t0) / (M - R)
            t = self.t0 + span * (p + j)
        return _office_hours(t).replace(second=0, microsecond=0)

    def is_recent(self, p: int) -> bool:
        return p >= self.M - self.R

    def _pick_special_time(self) -> None:
        """One article at 00:30 on the first of a month (old pool, about 60% through)."""
        old = self.M - self.R
        guess = int(old * 0.6)
        t = self.dt(guess)
        b = datetime(t.year + (t.month == 12), t.month % 12 + 1, 1, tzinfo=TZ)
        for p in range(guess, min(old - 1, guess + 400)):
            if self.dt(p) >= b:
                if self.dt(p + 1) > b + timedelta(minutes=30) and not self.is_ghost(p):
                    self._special_dt[p] = b + timedelta(minutes=30)
                return

    # -- sections --------------------------------------------------------------------------------------

    def sections_of(self, p: int) -> list[Section]:
        """Sections whose listings show the article: its own plus their parents, menu order."""
        ed = self.lang(p)
        secs = [s for s in self.cfg.sections[ed] if s.assignable and not s.albums]
        h = self._h["sec"].int(p)  # cheap: the listing index calls this for every article
        u = (h & 0xFFFF) / 65536
        k = 1 if u < 0.6 else (2 if u < 0.9 else 3)
        chosen = {secs[(h >> (16 + 8 * i)) % len(secs)].slug for i in range(k)}
        parents = {s.parent for s in secs if s.slug in chosen and s.parent}
        return [s for s in self.cfg.sections[ed] if s.slug in chosen or s.slug in parents]

    def section(self, edition: str, slug: str) -> Section | None:
        for s in self.cfg.sections[edition]:
            if s.slug == slug:
                return s
        return None

    def listing_positions(self, edition: str, slug: str) -> list[int]:
        """Positions (articles) or album indexes listed in a section, newest first."""
        with self._index_lock:
            if self._index is None:
                idx: dict[tuple[str, str], list[int]] = {}
                for p in range(self.top - 1, -1, -1):
                    if not self.live(p) or p in self.unlisted:
                        continue
                    for s in self.sections_of(p):
                        idx.setdefault((s.edition, s.slug), []).append(p)
                for ed in ("vi", "en"):
                    sec = self.cfg.album_section[ed]
                    idx[(ed, sec.slug)] = list(range(self.n_albums[ed] - 1, -1, -1))
                self._index = idx
        return self._index.get((edition, slug), [])

    def latest(self, lang: str, k: int) -> list[int]:
        out, p = [], self.top - 1
        while p >= 0 and len(out) < k:
            if self.live(p) and self.lang(p) == lang and p not in self.unlisted:
                out.append(p)
            p -= 1
        return out

    # -- links between articles ------------------------------------------------------------------------

    def _compatible(self, y: int, x: int) -> bool:
        ly, lx = self.lang(y), self.lang(x)
        return ly == lx or (ly == "vi" and self.crossposted(x))

    def _forced_linker(self, x: int) -> int | None:
        """Ghosts, retitled and cross-posted articles are linked by the next compatible base article."""
        if not (self.is_ghost(x) or self.has_old_title(x) or self.crossposted(x)) or x >= self.M:
            return None
        for y in range(x + 1, min(x + LINK_WINDOW, self.M - 1) + 1):
            if not self.is_ghost(y) and self._compatible(y, x):
                return y
        return None

    def links_to(self, y: int, x: int) -> bool:
        if x < 0 or x >= y or y - x > LINK_WINDOW or self.is_ghost(y):
            return False
        if self._h["link"].frac(y, x) < LINK_P:
            return self._compatible(y, x)
        return self.forced_linker(x) == y  # compatible by construction

    def _outbound(self, y: int) -> tuple[int, ...]:
        return tuple(
            x for x in range(y - 1, max(-1, y - LINK_WINDOW - 1), -1) if self.links_to(y, x)
        )

    def inbound(self, x: int) -> list[int]:
        """Live articles whose body links `x`."""
        return [
            y
            for y in range(x + 1, min(x + LINK_WINDOW, self.top - 1) + 1)
            if self.links_to(y, x) and self.live(y)
        ]

    def old_slugs(self, p: int) -> tuple[str, ...]:
        """Previous slugs of a live article (each answers 301), without generating its body."""
        if any(kind == "title" for _, kind in self.edits.get(p, ())):
            return self.article(p).old_slugs
        if self.has_old_title(p) and self.title(p) != self.original_title(p):
            return (T.slugify(self.original_title(p)),)
        return ()

    def _original_title(self, p: int) -> str:
        """The title at first publication (links written then use its slug)."""
        r = T.rng(self.seed, "art", p)
        return T.title(r, self.lang(p), self.dt(p).year)

    def _title(self, p: int) -> str:
        """The current title, without generating the whole article when it was never edited."""
        if any(kind == "title" for _, kind in self.edits.get(p, ())):
            return self.article(p).title
        if self.has_old_title(p):
            return self._retitle(p, self.original_title(p))
        return self.original_title(p)

    def _retitle(self, p: int, first: str) -> str:
        new = T.title(T.rng(self.seed, "retitle", p), self.lang(p), self.dt(p).year)
        return first if T.slugify(new) == T.slugify(first) else new

    def path(self, p: int) -> str:
        return f"/{T.slugify(self.title(p))}-a{self.aid(p)}.html"

    def link_href(self, y: int, x: int) -> str:
        host_ed = self.lang(y) if self.lang(y) == "vi" else "en"
        u = T.hfrac(self.seed, "lhost", y, x)
        if host_ed == "vi":
            hosts = [
                "https://baolongan.vn",
                "http://baolongan.vn",
                "https://www.baolongan.vn",
                "http://www.baolongan.vn",
            ]
            weights = [0.55, 0.2, 0.15, 0.1]
        else:
            hosts = [
                "https://news.baolongan.vn",
                "http://news.baolongan.vn",
                "https://www.news.baolongan.vn",
            ]
            weights = [0.6, 0.25, 0.15]
        acc = 0.0
        host = hosts[0]
        for hst, w in zip(hosts, weights, strict=True):
            acc += w
            if u < acc:
                host = hst
                break
        return f"{host}/{T.slugify(self.original_title(x))}-a{self.aid(x)}.html"

    def related(self, p: int, k: int = 4) -> list[int]:
        secs = {s.slug for s in self.sections_of(p)}
        out = []
        for q in range(p - 1, max(-1, p - 80), -1):
            if (
                self.live(q)
                and q not in self.unlisted
                and self.lang(q) == self.lang(p)
                and secs & {s.slug for s in self.sections_of(q)}
            ):
                out.append(q)
                if len(out) == k:
                    break
        return out

    # -- specials and epochs -----------------------------------------------------------------------------

    def _pick_specials(self) -> None:
        r = T.rng(self.seed, "specials")
        old = self.M - self.R
        pool = [
            p for p in range(0, self.M - 1) if not self.is_ghost(p) and not self.has_old_title(p)
        ]
        old_pool = [p for p in pool if p < old] or pool
        taken: set[int] = set()

        def pick(pred=lambda p: True, tries: int = 4000) -> int:
            for _ in range(tries):
                p = r.choice(old_pool)
                if p not in taken and pred(p):
                    taken.add(p)
                    return p
            raise ValueError("not enough articles for the irregular pages; raise --articles")

        def vi(p: int) -> bool:
            return self.lang(p) == "vi"

        def has_d(p: int) -> bool:
            return vi(p) and ("đ" in self.original_title(p).lower())

        sp = self.specials
        sp.charset_lie.append(f"a:{pick(has_d)}")
        sp.cp1258.append(f"a:{pick(vi)}")
        for _ in range(3):  # Vietnamese pages: NFD changes their bytes
            sp.nfd.append(f"a:{pick(vi)}")
        sp.status.append((f"a:{pick()}", (503,)))
        sp.status.append((f"a:{pick()}", (500,)))
        sp.status.append((f"a:{pick()}", (503, 503)))
        sp.slow.append((f"a:{pick()}", 1.2))
        sp.slow.append((f"a:{pick()}", 0.8))
        n_nodate = max(1, self.n // 500)
        for _ in range(n_nodate):
            sp.no_date.add(pick())
            sp.no_lead.add(pick())
        sp.positions = set(taken)
        # listings and albums
        vi_secs = [s for s in self.cfg.sections["vi"] if not s.albums]
        # page 2 of a parent listing: parents list their children's articles, so page 2 exists
        s1 = r.choice([s for s in vi_secs if not s.assignable])
        s2 = r.choice([s for s in vi_secs if s is not s1])
        sp.status.append((f"l:vi:{s1.slug}:2", (503,)))
        sp.nfd.append(f"l:vi:{s2.slug}:1")
        sp.slow.append((f"l:vi:{r.choice(vi_secs).slug}:1", 1.0))
        sp.status.append(("al:vi:0", (500,)))
        sp.nfd.append(f"al:vi:{1 if self.n_albums['vi'] > 1 else 0}")

    def _pick_unlisted(self, k: int) -> frozenset[int]:
        """--unlisted K: K live epoch-0 articles no listing, home page, side box or body links (the
        truth file still has them): only an id probe reaches them. Never one of the irregular,
        retitled, cross-posted, edited or deleted articles (their 301s and forced links must stay),
        nor one an English translation may name as its original (its Source: line links it)."""
        if k <= 0:
            return frozenset()
        named = {self.translated_original(p) for p in range(self.M) if self.lang(p) == "en"}
        pool = [
            p
            for p in range(self.M - 1)
            if self.live(p)
            and p not in self.specials.positions
            and p not in self.edits
            and p not in named
            and not self.has_old_title(p)
            and not self.crossposted(p)
        ]
        if k > len(pool):
            raise ValueError(f"--unlisted {k}: only {len(pool)} articles can be hidden")
        return frozenset(T.rng(self.seed, "unlisted").sample(pool, k))

    def _pick_epochs(self) -> None:
        used = set(self.specials.positions)
        old = self.M - self.R
        recent_pool = [
            p
            for p in range(old, self.M)
            if not self.is_ghost(p) and p not in used and not self.has_old_title(p)
        ]
        for k in range(1, self.epoch + 1):
            r = T.rng(self.seed, "epoch", k)

            def pick_recent(pred=lambda p: True, r=r) -> int:
                cands = [p for p in recent_pool if p not in used and pred(p)]
                if not cands:
                    cands = [p for p in recent_pool if p not in used]
                if not cands:
                    raise ValueError(
                        f"--epoch {self.epoch} needs more recent articles than --articles {self.n} has"
                    )
                p = r.choice(cands)
                used.add(p)
                return p

            def pick_old(pred=lambda p: True, r=r) -> int:
                for i in range(20000):
                    p = r.randrange(0, old)
                    if (
                        not self.is_ghost(p)
                        and p not in used
                        and not self.has_old_title(p)
                        and (pred(p) or i > 2000)
                    ):
                        used.add(p)
                        return p
                raise ValueError("not enough old articles for the epochs")

            def has_img(p: int) -> bool:
                return bool(self._base_article(p).images)

            for kind in EDIT_KINDS_RECENT:
                p = pick_recent(has_img if kind == "caption" else (lambda p: True))
                self.edits.setdefault(p, []).append((k, kind))
            for kind in EDIT_KINDS_OLD:
                p = pick_old(has_img if kind == "caption" else (lambda p: True))
                self.edits.setdefault(p, []).append((k, kind))
            for _ in range(DELETES_RECENT):
                self.deleted[pick_recent()] = k
            for _ in range(DELETES_OLD):
                self.deleted[pick_old()] = k

    def changes(self) -> dict:
        """What epochs 1..K did, for tests and the manifest."""
        new = list(range(self.M, self.top))
        return {
            "new": [self.aid(p) for p in new],
            "edited": {
                str(self.aid(p)): [kind for k, kind in v] for p, v in sorted(self.edits.items())
            },
            "deleted": [self.aid(p) for p in sorted(self.deleted)],
            "edited_by_epoch": {
                k: sorted(
                    (self.aid(p), kind, self.is_recent(p))
                    for p, v in self.edits.items()
                    for kk, kind in v
                    if kk == k
                )
                for k in range(1, self.epoch + 1)
            },
            "deleted_by_epoch": {
                k: sorted(
                    (self.aid(p), self.is_recent(p)) for p, kk in self.deleted.items() if kk == k
                )
                for k in range(1, self.epoch + 1)
            },
        }

    # -- article generation ------------------------------------------------------------------------------

    def _image(self, r, p: int, dt: datetime, i: int, lang: str, form: str) -> Image:
        ymd = dt.strftime("%Y/%Y%m%d")
        if dt.year < 2017:
            name = f"{r.randint(1, 999)}{r.choice(['', '_', '-'])}{r.choice(['a', 'anh', 'IMG'])}{i + 1}.jpg"
            if r.random() < 0.5:
                url = f"{OLD_IMG_HOST}/news/{ymd}/fckimage/{name}"
            else:
                url = f"{IMG_HOST}/image/news/{ymd}/fckimage/{name}"
        else:
            u = r.random()
            if u < 0.3:  # the uploader's own file name
                own = r.choice(
                    ["Ảnh hội nghị", "IMG 2034", "Đoàn công tác", "hinh bai", "Lễ ra quân"]
                )
                own = f"{own} {i + 1}.{r.choice(['jpg', 'JPG', 'png'])}"
                if r.random() < 0.2:  # uploaded from a Mac: decomposed letters
                    own = unicodedata.normalize("NFD", own)
                url = f"{IMG_HOST}/image/news/{ymd}/images/{quote(own)}"
            else:
                ext = "webp" if r.random() < 0.25 else "jpg"
                slug = T.slugify(T.caption_core(r, lang))[:40]
                url = f"{IMG_HOST}/image/news/{ymd}/images/{r.randint(10, 99999)}-{slug}.{ext}"
        parts, caption, credit = self._caption(r, lang)
        return Image(url, i, form, parts, caption, credit)

    @staticmethod
    def _caption(r, lang: str) -> tuple[tuple[str, ...] | None, str | None, str | None]:
        u = r.random()
        if u < 0.06:
            return None, None, None
        if u < 0.12:
            return ("",), None, None
        core = T.caption_core(r, lang)
        v = r.random()
        credits: list[str] = []
        if lang == "vi":
            if v < 0.45:
                full = core
            elif v < 0.7:
                c = r.choice(T.VI_NAMES)
                full, credits = f"{core} (Ảnh: {c})", [c]
            elif v < 0.88:
                c = r.choice(T.VI_PHOTO_CREDITS)
                full, credits = f"{core} (Ảnh: {c})", [c]
            elif v < 0.95:
                a, b = r.choice(T.VI_NAMES), r.choice(T.VI_PHOTO_CREDITS)
                full, credits = f"{core} (Ảnh: {a}) (Ảnh: {b})", [a, b]
            else:
                c = r.choice(T.VI_PHOTO_CREDITS)
                full, credits, core = f"(Ảnh: {c})", [c], ""
        elif v < 0.4:
            full = core
        elif v < 0.75:
            c = r.choice(T.EN_PHOTO_CREDITS)
            label = "photo" if c == "Chi Tam" and r.random() < 0.5 else "Photo"
            full, credits = f"{core} ({label}: {c})", [c]
        elif v < 0.88:
            c = r.choice(T.EN_NAMES)
            core = core + "."
            full, credits = f"{core} Photograph: {c}", [c]
        elif v < 0.96:
            a, b = r.choice(T.EN_NAMES), r.choice(["VNA", "Internet"])
            full, credits = f"{core} (Photo: {a}) (Photo: {b})", [a, b]
        else:
            c = r.choice(T.EN_PHOTO_CREDITS)
            full, credits, core = f"(Photo: {c})", [c], ""
        parts: tuple[str, ...] = (full,)
        if lang == "en" and core and r.random() < 0.3:  # duplicated in place (never credit-only)
            parts = (full, full) if r.random() < 0.5 else (f"{full} {full}",)
        return parts, core or None, "; ".join(credits) or None

    @staticmethod
    def _byline(r, lang: str) -> Byline:
        u = r.random()
        if lang == "vi":
            if u < 0.07:
                return Byline(None)
            if u < 0.15:
                form = r.randrange(3)
                src = r.choice(T.VI_SOURCES)
                if form == 0:
                    return Byline(f"Theo {src}", source=src)
                if form == 1:
                    return Byline("(TTXVN/Vietnam+)", source="TTXVN/Vietnam+")
                return Byline(f"Nguồn: {src}", source=src)
            if u < 0.27:
                names = T.names(r, "vi", 3 if r.random() < 0.2 else 2)
                raw = names[0]
                for nm in names[1:]:
                    raw += r.choice(["- ", " - ", " -", " – ", "-"]) + nm
                return Byline(raw, tuple(names))
            if u < 0.33:
                nm = T.names(r, "vi", 1)[0]
                return Byline(f"CTV {nm} {r.choice(['–', '–', '-'])}", (nm,))
            nm = T.names(r, "vi", 1)[0]
            return Byline(nm, (nm,))
        if u < 0.08:
            return Byline(None)
        if u < 0.16:
            src = r.choice(T.EN_SOURCES)
            return Byline(f"Source: {src}" if r.random() < 0.5 else f"({src})", source=src)
        a, t = T.names(r, "en", 2)
        if u < 0.26:
            return Byline(f"By {a}", (a,))
        sep = r.choice([" – ", " – ", " –", " - ", "– ", " -"])
        return Byline(f"By {a}{sep}Translated by {t}", (a,), (t,))

    def _inline_links(self, r, p: int, lang: str, paras: list[list]) -> None:
        """Links to other articles into `paras` (in place), with their random draws in order."""
        n_par = len(paras)
        for x in self.outbound(p):
            anchor = (
                self.original_title(x)
                if r.random() < 0.7
                else ("tại đây" if lang == "vi" else "here")
            )
            link = Link(self.link_href(p, x), anchor, self.aid(x))
            i = r.randrange(n_par)
            lead_in = ("Xem thêm: " if lang == "vi" else "See also: ") if r.random() < 0.4 else ""
            # --unlisted: the same draws without the link, so the rest of the body is unchanged
            hidden = x in self.unlisted
            if not hidden:
                paras[i] = [*paras[i], f" {lead_in}", link, "."]
            if r.random() < 0.1:  # the same article linked twice
                j = r.randrange(n_par)
                host = PROD["vi" if lang == "vi" else "en"]
                paras[j] = (
                    paras[j]
                    if hidden
                    else [
                        *paras[j],
                        " ",
                        Link(
                            f"{host}/{T.slugify(self.original_title(x))}-a{self.aid(x)}.html",
                            anchor,
                            self.aid(x),
                        ),
                    ]
                )

    def _base_article(self, p: int) -> Article:
        r = T.rng(self.seed, "art", p)
        lang = self.lang(p)
        dt = self.dt(p)
        year = dt.year
        title = T.title(r, lang, year)  # first draw: original_title() repeats it
        old_slugs: tuple[str, ...] = ()
        if self.has_old_title(p):
            new = self._retitle(p, title)
            if new != title:
                old_slugs, title = (T.slugify(title),), new
        kicker = T.kicker(r, lang) if r.random() < 0.12 else None
        lead = T.paragraph(r, lang, year, r.randint(1, 2))
        if lang == "vi" and r.random() < 0.35:
            lead = "(LA) - " + lead
        if p in self.specials.no_lead:
            lead = None
        n_par = r.randint(3, 9)
        paras: list[list] = [[T.paragraph(r, lang, year)] for _ in range(n_par)]
        self._inline_links(r, p, lang, paras)  # inline links to other articles
        if r.random() < 0.05:
            i = r.randrange(n_par)
            ext = Link(
                "https://baochinhphu.vn/chinh-sach-moi-102250101.htm",
                "Cổng TTĐT Chính phủ" if lang == "vi" else "the Government portal",
                None,
            )
            paras[i] = [*paras[i], " (", ext, ")"]
        ends_slash = r.random() < (0.6 if lang == "vi" else 0.3)
        if ends_slash:
            last = paras[-1]
            if isinstance(last[-1], str) and last[-1].endswith("."):
                last[-1] = last[-1][:-1] + "./."
            else:
                last.append("./.")
        pstyle = r.choice(["", ' style="text-align: justify;"', ' style="text-align:justify"'])
        blocks: list[Block] = [
            Block("p", tuple(s for s in segs if s != ""), style=pstyle) for segs in paras
        ]
        # sub-heads
        if n_par >= 5 and r.random() < 0.5:
            for _ in range(r.randint(1, 2)):
                i = r.randint(1, len(blocks) - 2)
                blocks.insert(i, Block("sub", (T.subhead(r, lang),), style=r.choice(["", pstyle])))
        # lists and tables (rare)
        if r.random() < 0.04:
            items = tuple(T.sentence(r, lang, year) for _ in range(r.randint(2, 4)))
            blocks.insert(r.randint(1, len(blocks) - 1), Block("ul", items))
        if r.random() < 0.03:
            rows = tuple(
                tuple(
                    T.names(r, lang, 1)[0] if c == 0 else str(r.randint(1, 500)) for c in range(3)
                )
                for _ in range(r.randint(2, 4))
            )
            blocks.insert(r.randint(1, len(blocks) - 1), Block("table", rows))
        # images, never after the last paragraph
        n_img = r.choice([0, 1, 1, 2, 2, 3, 4] if year >= 2017 else [0, 0, 1, 1, 2])
        form = "A" if r.random() < 0.6 else "B"
        slots = sorted(r.randint(0, len(blocks) - 1) for _ in range(n_img))
        for i, slot in enumerate(slots):
            f = form if r.random() < 0.9 else ("B" if form == "A" else "A")
            img = self._image(r, p, dt, i, lang, f)
            blocks.insert(slot + i, Block("img", image=img))
        byline = self._byline(r, lang)
        source = self._source_line(p, lang, byline)
        show_date = p not in self.specials.no_date
        summary = lead or T.paragraph(r, lang, year, 1)
        thumb = self._thumb(r, dt)
        return Article(
            pos=p,
            aid=self.aid(p),
            lang=lang,
            title=title,
            old_slugs=old_slugs,
            kicker=kicker,
            lead=lead,
            blocks=tuple(blocks),
            byline=byline,
            dt=dt,
            show_date=show_date,
            modified=dt + (timedelta(hours=2) if old_slugs else timedelta()),
            version=1,
            wrap_div=year < 2018 and r.random() < 0.5,
            summary=summary,
            thumb=thumb,
            source=source,
        )

    def _source_line(self, p: int, lang: str, byline: Byline) -> SourceLine | None:
        """Its own random stream, so articles without a source line stay as they were."""
        r = T.rng(self.seed, "srcline", p)
        form = r.choice(SOURCE_FORMS)
        if lang == "vi" and byline.source == "TTXVN/Vietnam+":
            slug = T.slugify(T.title(r, "vi", self.dt(p).year))[:60].strip("-")
            url = f"{r.choice(AGENCY_HOSTS)}/{slug}-post{r.randint(100000, 999999)}.vnp"
            return SourceLine("Nguồn", url, r.random() < 0.5, form, None)
        if lang == "en" and byline.translators and r.random() < SOURCE_EN_P:
            q = self.translated_original(p)
            if q is None:
                return None
            url = f"{PROD['vi']}/{T.slugify(self.original_title(q))}-a{self.aid(q)}.html"
            return SourceLine("Source", url, r.random() < 0.5, form, self.aid(q))
        return None

    def translated_original(self, p: int) -> int | None:
        """The Vietnamese position an English article at p translates: one of the three nearest
        older Vietnamese positions (ghosts included), by a hash of p."""
        k = T.h64(self.seed, "srcpick", p) % 3
        for q in range(p - 1, max(-1, p - SOURCE_WINDOW - 1), -1):
            if self.lang(q) == "vi":
                if k == 0:
                    return q
                k -= 1
        return None

    @staticmethod
    def _thumb(r, dt: datetime) -> str:
        size = r.choice(["510x286", "510x286", "348x254"])
        ext = "jfif" if r.random() < 0.1 else "jpg"
        unix = int(dt.timestamp()) + r.randint(-3600, 0)
        return f"{IMG_HOST}/image/news/{dt.strftime('%Y/%Y%m%d')}/thumbnail/{size}/{r.randint(1, 999)}_{unix}.{ext}"

    def _article(self, p: int) -> Article | None:
        """The article at position p as it stands at this epoch (None if it never existed)."""
        if not self.exists(p):
            return None
        art = self._base_article(p)
        for k, kind in self.edits.get(p, []):
            art = self._apply_edit(art, k, kind)
        return art

    def _apply_edit(self, art: Article, k: int, kind: str) -> Article:
        r = T.rng(self.seed, "edit", k, art.pos)
        year = art.dt.year
        when = max(art.dt, self.midnight) + timedelta(hours=k)
        art = replace(
            art, version=art.version + 1, modified=max(when, art.modified + timedelta(minutes=1))
        )
        if kind == "title":
            for _ in range(20):
                new = T.title(r, art.lang, year)
                if T.slugify(new) != art.slug and T.slugify(new) not in art.old_slugs:
                    break
            return replace(art, title=new, old_slugs=(*art.old_slugs, art.slug))
        blocks = list(art.blocks)
        if kind == "caption":
            for i, b in enumerate(blocks):
                if b.kind == "img":
                    core = T.caption_core(r, art.lang) + (
                        " – cập nhật" if art.lang == "vi" else " (updated)"
                    )
                    img = replace(b.image, parts=(core,), caption=core, credit=None)
                    blocks[i] = replace(b, image=img)
                    return replace(art, blocks=tuple(blocks))
        for i, b in enumerate(blocks):  # body edit (or caption edit without images)
            if b.kind == "p":
                extra = T.sentence(r, art.lang, year)
                blocks[i] = replace(b, segments=(*b.segments, " " + extra))
                return replace(art, blocks=tuple(blocks))
        return art

    # -- albums ------------------------------------------------------------------------------------------

    def album_id(self, edition: str, i: int) -> int:
        base, step = (100, 3) if edition == "vi" else (20, 2)
        return base + i * step + T.h64(self.seed, "albid", edition, i) % step

    def album_index(self, edition: str, album_id: int) -> int | None:
        base, step = (100, 3) if edition == "vi" else (20, 2)
        i = (album_id - base) // step
        if 0 <= i < self.n_albums[edition] and self.album_id(edition, i) == album_id:
            return i
        return None

    def _album(self, edition: str, i: int) -> Album | None:
        if not 0 <= i < self.n_albums[edition]:
            return None
        r = T.rng(self.seed, "album", edition, i)
        n = self.n_albums[edition]
        start = datetime(2016, 3, 1, 8, 0, tzinfo=TZ)
        span = (self.midnight - timedelta(days=1) - start) / n
        dt = (start + span * (i + 0.9 * r.random())).replace(second=0, microsecond=0)
        lang = edition
        title = T.title(r, lang, dt.year)
        desc = T.paragraph(r, lang, dt.year, r.randint(1, 2))
        note, translators = None, ()
        if lang == "en" and r.random() < 0.6:
            t = r.choice(T.EN_NAMES)
            note, translators = f"(Translated by {t})", (t,)
        photos = []
        for k in range(r.randint(3, 8)):
            url = f"{IMG_HOST}/image/album/{dt.strftime('%Y/%Y%m%d')}/{self.album_id(edition, i)}_{k + 1}.jpg"
            parts, caption, credit = self._caption(r, lang)
            photos.append(Image(url, k, "album", parts, caption, credit))
        return Album(
            edition,
            i,
            self.album_id(edition, i),
            title,
            desc,
            note,
            translators,
            dt,
            tuple(photos),
            self._thumb(r, dt),
            self.cfg.album_pid,
        )

    # -- misc --------------------------------------------------------------------------------------------

    def live_positions(self):
        return (p for p in range(self.top) if self.live(p))

    def now_utc(self) -> datetime:
        return datetime.now(UTC)
