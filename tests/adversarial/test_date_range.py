"""Issue 15 item 11: dates outside the portal's life are flagged, never silently trusted.

A page dated 1900 or 2099 was archived with that date and no flag. Now a `published_at` before
2000-01-01 or more than a day after the run's REFERENCE_NOW carries `date_out_of_range` in
`quality_issues` (counted `quality/date_out_of_range`); the value itself is kept, as the page
shows it. The crawl's REFERENCE_NOW is tests.support.REFERENCE_NOW (2025-06-30T23:00:00+07:00).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.normalize.dates import out_of_range
from tests.adversarial import crawl
from tests.adversarial.server import article, home, sites
from tests.support import REFERENCE_NOW

DATES = {
    # article id: (date shown, published_at expected, flagged)
    980001: ("01/01/1900 - 08:00", "1900-01-01T08:00:00+07:00", True),
    980002: ("15/03/2099 - 09:30", "2099-03-15T09:30:00+07:00", True),
    980003: ("31/12/1999 - 23:59", "1999-12-31T23:59:00+07:00", True),
    980004: ("02/07/2025 - 23:30", "2025-07-02T23:30:00+07:00", True),  # now + 1 day 30 min
    980005: ("01/01/2000 - 00:00", "2000-01-01T00:00:00+07:00", False),
    980006: ("01/07/2025 - 22:00", "2025-07-01T22:00:00+07:00", False),  # within the day's grace
    980007: ("20/01/2022 - 18:20", "2022-01-20T18:20:00+07:00", False),
}


def test_dates_outside_the_portals_life_are_flagged_and_kept(tmp_path):
    with sites({}, {}) as (vi, en):
        links = [(f"/bai-ngay-a{i}.html", f"Bài ngày {i}") for i in DATES]
        vi.routes.update(home(links))
        for i, (shown, _, _) in DATES.items():
            vi.routes[f"/bai-ngay-a{i}.html"] = article(f"Bài có ngày {shown}", date=shown)
        result = crawl.run(vi.base, en.base, tmp_path / "out", "edition=vi")
    assert result.exit_code in (0, 3), result.log[-3000:]
    assert result.rejected == []
    for i, (_, published_at, flagged) in DATES.items():
        record = result.record(i)
        assert record is not None, i
        assert record["published_at"] == published_at
        assert ("date_out_of_range" in record["quality_issues"]) is flagged, (i, record)
    assert result.stats.get("quality/date_out_of_range") == 4, result.stats
    assert "flagged" in result.log and "date_out_of_range (1900-01-01T08:00:00+07:00" in result.log


NOW = datetime.fromisoformat(REFERENCE_NOW)


@pytest.mark.parametrize(
    ("published_at", "flagged"),
    [
        ("1900-01-01T00:00:00+07:00", True),
        ("2099-12-31T00:00:00+07:00", True),
        ("1999-12-31T16:59:59+00:00", True),  # 23:59:59 in Vietnam
        ("1999-12-31T17:00:00+00:00", False),  # 2000-01-01 00:00 in Vietnam
        ("2025-07-01T23:00:00+07:00", False),  # exactly now + 1 day
        ("2025-07-01T23:00:01+07:00", True),
        ("2000-01-01T00:00:00", False),  # naive: Vietnam time
        (None, False),
        ("", False),
        ("not a date", False),
    ],
)
def test_out_of_range(published_at, flagged):
    assert out_of_range(published_at, NOW) is flagged
