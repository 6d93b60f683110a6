"""Issue 15 item 11: 10,000 images on one page meant 10,000 fetches.

At most MAX_IMAGES_PER_PAGE (default 200) requisites are requested per page; the rest are counted
(`requisites/over_cap`, `requisites/capped_pages`) and named (log line, report JSON
`requisites_capped`, Markdown section). The record itself still lists the page's images.
"""

from __future__ import annotations

from tests.adversarial import crawl
from tests.adversarial.server import Answer, article, home, sites
from tests.hostile import pages

IMAGES = 10_000
CAP = 200  # the default, not set by the test


def _many_images() -> bytes:
    imgs = "".join(f'<img src="/nhieu-anh/{i:05d}.jpg" alt="">' for i in range(IMAGES))
    spec = pages.ArticleSpec(title="Trang mười nghìn ảnh", body_suffix=f"<p>{imgs}</p>")
    return pages.article_page(spec).encode()


def test_a_page_with_10000_images_fetches_at_most_the_cap(tmp_path):
    with sites({}, {}) as (vi, en):
        vi.routes.update(
            home([("/muoi-nghin-anh-a990001.html", "Mười nghìn ảnh"), ("/bai-a990002.html", "Bài")])
        )
        vi.routes["/muoi-nghin-anh-a990001.html"] = Answer(body=_many_images())
        vi.routes["/bai-a990002.html"] = article("Bài bình thường")
        result = crawl.run(vi.base, en.base, tmp_path / "out", "edition=vi", timeout=300)
        image_hits = [p for p in vi.paths() if p.startswith("/nhieu-anh/")]
    assert result.exit_code in (0, 3), result.log[-3000:]
    assert 0 < len(image_hits) <= CAP, len(image_hits)
    assert result.stats.get("requisites/capped_pages") == 1, result.stats
    capped = result.report["requisites_capped"]
    assert capped["pages"] == 1
    (entry,) = capped["named"]
    assert entry["page"].endswith("/muoi-nghin-anh-a990001.html")
    assert entry["found"] >= IMAGES
    assert entry["fetched"] == CAP
    assert entry["left_out"] == entry["found"] - CAP == result.stats["requisites/over_cap"]
    assert entry["first_left_out"][0].endswith(f"/nhieu-anh/{IMAGES - entry['left_out']:05d}.jpg")
    # page order: the cap keeps the first images, the last one is never requested
    assert f"/nhieu-anh/{IMAGES - 1:05d}.jpg" not in image_hits
    assert "requisites capped" in result.log
    markdown = next((result.output_dir / "reports").glob("*.md")).read_text(encoding="utf-8")
    assert "Requisites left out (MAX_IMAGES_PER_PAGE)" in markdown
    assert result.record(990001) is not None and result.record(990002) is not None


def test_cap_is_a_setting(tmp_path):
    with sites({}, {}) as (vi, en):
        vi.routes.update(home([("/muoi-nghin-anh-a990001.html", "Mười nghìn ảnh")]))
        vi.routes["/muoi-nghin-anh-a990001.html"] = Answer(body=_many_images())
        result = crawl.run(
            vi.base, en.base, tmp_path / "out", "edition=vi", settings={"MAX_IMAGES_PER_PAGE": 5}
        )
        image_hits = [p for p in vi.paths() if p.startswith("/nhieu-anh/")]
    assert result.exit_code in (0, 3), result.log[-3000:]
    assert len(image_hits) <= 5, image_hits
    assert result.report["requisites_capped"]["named"][0]["fetched"] == 5
