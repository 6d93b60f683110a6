"""The learned page template (crawler/pages/template.py): signatures by place and text, chrome by
repetition across pages, redesigns, bounded memory, and what it changes in extraction."""

from __future__ import annotations

import random

import pytest

from crawler.editions import Editions
from crawler.pages import parse_article, template
from crawler.pages.common import parse_html
from crawler.pages.template import (
    MAX_SIGNATURES,
    MIN_PAGES,
    MISSES_TO_RELEARN,
    Template,
    block_signatures,
)

EDITIONS = Editions(vi_base="http://127.0.0.1:8101", en_base="http://127.0.0.1:8102")
ABOUT = "".join(
    f"<p>Báo Long An là cơ quan ngôn luận của Đảng bộ tỉnh Long An; đoạn giới thiệu số {i} kể "
    "về lịch sử tờ báo, đội ngũ phóng viên và chặng đường phát triển qua nhiều thập kỷ.</p>"
    for i in range(12)
)


def page(
    n: int,
    about: bool = True,
    clock: str = "Thứ Hai, 30/06/2025 - 09:15",
    title_band: bool = True,
) -> str:
    """An article page with no class anywhere, a header clock and a static prose box longer than
    the article. With `title_band` the title stands in a band of its own above both columns, as
    far from the article as from the box: the case only learning tells apart. Without it, the
    title heads the article's column (the page tells the article by its title's column)."""
    body = "".join(
        f"<p>Đoạn {k} của bài số {n}: người dân xã Bình Đức phấn khởi khi mô hình mới mang lại "
        f"thu nhập cao hơn, theo báo cáo của Hội Nông dân tỉnh ngày {k + 1}/3.</p>"
        for k in range(3)
    )
    return (
        f"<html><head><title>Bài số {n} về nông thôn mới</title></head><body>"
        f"<div><div>{clock}</div><div><a href='/kinh-te/'>Kinh tế</a> | <a href='/xa-hoi/'>Xã hội</a>"
        f" | <a href='/van-hoa/'>Văn hóa</a></div></div>"
        + (f"<div><h1>Bài số {n} về nông thôn mới</h1></div><div>" if title_band else "")
        + "<div><div>"
        + ("" if title_band else f"<h1>Bài số {n} về nông thôn mới</h1>")
        + f"<div>1{n % 9}/03/2024 - 08:0{n % 9}</div><div>{body}</div></div>"
        + f"<div>{ABOUT if about else ''}</div></div>"
        + ("</div>" if title_band else "")
        + "<div>Cơ quan chủ quản: Tỉnh ủy Long An. Giấy phép số 436/GP-BTTTT.</div></body></html>"
    )


def url(n: int) -> str:
    return f"http://127.0.0.1:8101/bai-so-{n}-ve-nong-thon-moi-a{1000 + n}.html"


def signatures(html: str) -> frozenset[str]:
    return frozenset(block_signatures(parse_html(html)))


def learned(pages: range) -> Template:
    t = Template()
    for n in pages:
        t.observe(signatures(page(n)))
    return t


def test_nothing_is_chrome_before_min_pages():
    t = learned(range(MIN_PAGES - 1))
    assert t.chrome() == frozenset() and t.fingerprint() == "" and t.matches(set()) is None


def test_blocks_on_every_page_are_chrome_and_the_articles_are_not():
    t = learned(range(10))
    chrome = t.chrome()
    assert chrome and t.fingerprint()
    one = signatures(page(42))
    assert len(one & chrome) >= 5  # clock, menu, footer, the about box and its paragraphs
    tree = parse_html(page(42))
    chrome_text = " ".join(
        "".join(el.itertext()) for sig, el in block_signatures(tree).items() if sig in chrome
    )
    assert "Cơ quan chủ quản" in chrome_text and "đoạn giới thiệu số 3" in chrome_text
    assert "bài số 42" not in chrome_text.lower()  # nothing of the article itself


def test_the_same_text_elsewhere_on_the_page_is_another_block():
    """A lead quoted in another page's sidebar must not make the lead chrome: place counts."""
    a = "<html><body><div><p>Cùng một câu văn đủ dài để được ký.</p></div></body></html>"
    b = "<html><body><aside><p>Cùng một câu văn đủ dài để được ký.</p></aside></body></html>"
    assert signatures(a).isdisjoint(signatures(b))


def test_learning_tells_the_article_from_a_longer_static_box():
    without = parse_article(page(42), url(42), EDITIONS)
    assert "đoạn giới thiệu" in (without.fields["body_text"] or ""), "the case must be hard"
    t = learned(range(10))
    got = parse_article(page(42), url(42), EDITIONS, chrome=t.chrome(), learn=True)
    assert got.fields["body_text"].startswith("Đoạn 0 của bài số 42")
    assert "đoạn giới thiệu" not in got.fields["body_text"]
    assert got.fields["published_raw"] == "16/03/2024 - 08:06"  # not the header clock
    assert got.blocks  # what the crawl learns from next


def test_without_learning_the_title_s_column_tells_the_article_from_a_longer_static_box():
    """A single page, nothing learned: the box has more paragraph text, but the article stands in
    the title's column and the box does not (crawler/pages/article/container.py)."""
    got = parse_article(page(42, title_band=False), url(42), EDITIONS)
    assert got.strategies["body"] == "density+title"
    assert got.fields["body_text"].startswith("Đoạn 0 của bài số 42")
    assert "đoạn giới thiệu" not in got.fields["body_text"]
    # The lone lead-like paragraph under a title is never taken for the body: the box, alone on
    # its page with a one-paragraph article, stays the densest block.
    short = (
        page(42, title_band=False)
        .replace("<p>Đoạn 1", "<span>Đoạn 1")
        .replace("<p>Đoạn 2", "<span>Đoạn 2")
    )
    assert parse_article(short, url(42), EDITIONS).strategies["body"] == "density"


def test_a_redesign_is_noticed_after_pages_stop_matching_and_learning_restarts():
    t = learned(range(10))
    old = t.fingerprint()
    # New markup: every block stands elsewhere, so none of the old chrome is found.
    other = [
        frozenset(block_signatures(parse_html(page(n).replace("<div>", "<section><div>"))))
        for n in range(5)
    ]
    events = [t.observe(s) for s in other[:MISSES_TO_RELEARN]]
    assert events == [False] * (MISSES_TO_RELEARN - 1) + [True]
    assert t.redesigns == 1 and t.pages == 1 and t.chrome() == frozenset()
    for s in other:
        t.observe(s)
    assert t.fingerprint() and t.fingerprint() != old


def test_a_page_that_still_matches_resets_the_miss_count():
    t = learned(range(10))
    odd = frozenset({"not-a-block"})
    for _ in range(MISSES_TO_RELEARN - 1):
        assert not t.observe(odd)
    assert not t.observe(signatures(page(3)))
    assert not t.observe(odd) and t.redesigns == 0


def test_memory_stays_bounded():
    t = Template()
    for n in range(MAX_SIGNATURES // 40 + 50):
        t.observe(frozenset({f"unique-{n}-{k}" for k in range(40)} | {"everywhere"}))
    assert len(t.counts) <= MAX_SIGNATURES + 40
    assert "everywhere" in t.chrome()


@pytest.mark.parametrize("pages", [0, 3, 12])
def test_round_trip_through_json(pages):
    t = learned(range(pages))
    back = Template.from_json(t.to_json())
    assert back.pages == t.pages and back.counts == t.counts and back.chrome() == t.chrome()


@pytest.mark.parametrize("seed", range(60))
def test_the_chrome_kept_page_by_page_equals_the_chrome_counted_afresh(seed, monkeypatch):
    """Template.observe updates the chrome from the previous one (cheaper than recounting every
    signature); after every page it must equal the chrome computed from all counts, through
    redesigns and the pruning of signatures seen once."""
    monkeypatch.setattr(template, "MAX_SIGNATURES", 80)
    rnd = random.Random(seed)
    kept = Template()
    pool = [f"box-{i}" for i in range(rnd.randint(5, 60))]
    for page in range(rnd.randint(1, 150)):
        blocks = set(rnd.sample(pool, rnd.randint(0, len(pool))))
        if rnd.random() < 0.08:  # a page of another template
            blocks = {f"other-{page}-{i}" for i in range(12)}
        if rnd.random() < 0.5:  # extraction asks for the chrome between pages, or not
            kept.chrome()
        kept.observe(blocks)
        afresh = Template(pages=kept.pages, counts=dict(kept.counts))
        assert kept.chrome() == afresh.chrome(), f"page {page}"


def table_page(n: int, latest: tuple[int, ...] = (42, 43, 44), quote: bool = False) -> str:
    """A page laid out in a table, no class anywhere: the title is a linked <div> under a kicker,
    and the "Tin mới" column lists the latest articles in <div>s at the same place (same path of
    tags) as the title, so the page of article 42 shows its title twice with one signature.
    With `quote` the column quotes each article's paragraphs too, at the paragraphs' place."""

    def paragraphs(n: int) -> str:
        return "".join(
            f"<p>Đoạn {k} của bài số {n}: người dân xã Hựu Thạnh phấn khởi khi công tác cải cách "
            f"hành chính được triển khai đồng bộ, theo báo cáo ngày {k + 1}/3.</p>"
            for k in range(3)
        )

    title = f"Bài số {n} về cải cách hành chính ở huyện Đức Hòa"
    teasers = "".join(
        f"<div><a href='{url(k)}'>Bài số {k} về cải cách hành chính ở huyện Đức Hòa</a>"
        f"{paragraphs(k) if quote else ''}</div>"
        for k in latest
    )
    body = paragraphs(n)
    return (
        f"<html><head><title>{title} - Báo Long An</title>"
        f"<meta property='og:title' content='{title}'></head><body><table><tr><td><div>"
        f"<div>Đức Hòa</div><div><a href='{url(n)}'>{title}</a></div>"
        f"<div>1{n % 9}/03/2024 - 08:0{n % 9}</div><div>{body}</div></div></td>"
        f"<td><div><h3>Tin mới</h3>{teasers}</div></td></tr></table>"
        "<div>Cơ quan chủ quản: Tỉnh ủy Long An. Giấy phép số 436/GP-BTTTT.</div></body></html>"
    )


@pytest.mark.parametrize("own_box", [(42, 43, 44), (43, 44, 45)], ids=["quoted", "left-out"])
def test_the_page_s_own_title_is_never_learned_chrome(own_box):
    """Article 42 heads the "Tin mới" column of every other page, at the title's place with the
    title's text: its signature is chrome. On its own page that block is the title (found on
    the page, with the kicker above it), whether the column there quotes it too (one signature
    twice on a page: the template cannot tell which is the box) or leaves it out (the block holds
    the page's own title as its metadata names it)."""
    t = Template()
    for n in range(10):
        t.observe(signatures(table_page(n)))
    html = table_page(42, latest=own_box)
    assert set(block_signatures(parse_html(html))) & t.chrome(), "the case must be hard"
    got = parse_article(html, url(42), EDITIONS, chrome=t.chrome(), learn=True)
    assert got.fields["title"] == "Bài số 42 về cải cách hành chính ở huyện Đức Hòa"
    assert got.strategies["title"] != "og:title+slug"  # found on the page, not in metadata
    assert got.fields["kicker"] == "Đức Hòa"


@pytest.mark.parametrize("own_box", [(42, 43, 44), (43, 44, 45)], ids=["quoted", "left-out"])
def test_paragraphs_a_box_quotes_on_the_article_s_own_page_stay_the_article_s(own_box):
    """The "Tin mới" column quotes the latest articles whole, at the body's place: on other pages
    article 42's paragraphs are chrome (each teaser, paragraphs and all, is learned). On its own
    page they stand in a block the template does not know, the body, so they are the article's,
    every paragraph, whether the column there quotes 42 too or leaves it out."""
    t = Template()
    for n in range(10):
        t.observe(signatures(table_page(n, quote=True)))
    html = table_page(42, latest=own_box, quote=True)
    assert set(block_signatures(parse_html(html))) & t.chrome(), "the case must be hard"
    got = parse_article(html, url(42), EDITIONS, chrome=t.chrome(), learn=True)
    assert got.fields["body_text"].split("\n\n") == [
        f"Đoạn {k} của bài số 42: người dân xã Hựu Thạnh phấn khởi khi công tác cải cách hành "
        f"chính được triển khai đồng bộ, theo báo cáo ngày {k + 1}/3."
        for k in range(3)
    ]
