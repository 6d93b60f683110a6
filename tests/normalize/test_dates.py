"""Table of publication-date strings and their parsed values (all hand-checked)."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.normalize.dates import ParsedDate, parse_published

M = "minute"
D = "day"

# (id, raw, expected value, expected precision)
VALID = [
    # The site's own format (fast path) and near variants.
    ("site", "20/01/2022 - 18:20", "2022-01-20T18:20:00+07:00", M),
    ("site-midnight", "01/01/2020 - 00:00", "2020-01-01T00:00:00+07:00", M),
    ("site-single-digits", "5/3/2019 - 7:05", "2019-03-05T07:05:00+07:00", M),
    ("site-stray-spaces", "  20/01/2022   -  18:20 ", "2022-01-20T18:20:00+07:00", M),
    ("site-nbsp", "20/01/2022\u00a0-\u00a018:20", "2022-01-20T18:20:00+07:00", M),
    ("site-no-dash", "20/01/2022 18:20", "2022-01-20T18:20:00+07:00", M),
    ("site-en-dash", "20/01/2022 – 18:20", "2022-01-20T18:20:00+07:00", M),
    ("site-with-seconds", "20/01/2022 18:20:45", "2022-01-20T18:20:45+07:00", M),
    ("site-gmt7", "20/01/2022 - 18:20 GMT+7", "2022-01-20T18:20:00+07:00", M),
    ("site-zero-width", "\u200b20/01/2022 - 18:20\ufeff", "2022-01-20T18:20:00+07:00", M),
    ("day-first-not-month-first", "02/03/2022 - 09:15", "2022-03-02T09:15:00+07:00", M),
    ("leap-day", "29/02/2020 - 10:00", "2020-02-29T10:00:00+07:00", M),
    # Government portal forms.
    ("gov-weekday", "Thứ 2, Ngày 23/03/2020, 08:00", "2020-03-23T08:00:00+07:00", M),
    ("time-ngay-date", "18:20 ngày 20/01/2022", "2022-01-20T18:20:00+07:00", M),
    ("label-luc-ngay", "Cập nhật lúc 18h20 ngày 20/1/2022", "2022-01-20T18:20:00+07:00", M),
    ("gov-weekday-word", "Thứ Năm, ngày 20/1/2022, 18:20", "2022-01-20T18:20:00+07:00", M),
    ("gov-sunday", "Chủ nhật, 19/01/2020 - 07:30", "2020-01-19T07:30:00+07:00", M),
    ("gov-sa", "04/06/2018 11:00 SA", "2018-06-04T11:00:00+07:00", M),
    ("gov-ch", "20/10/2016 11:00 CH", "2016-10-20T23:00:00+07:00", M),
    ("gov-12-sa-is-midnight", "04/06/2018 12:15 SA", "2018-06-04T00:15:00+07:00", M),
    ("gov-12-ch-is-noon", "04/06/2018 12:15 CH", "2018-06-04T12:15:00+07:00", M),
    ("gov-ch-lower", "20/10/2016 1:05 ch", "2016-10-20T13:05:00+07:00", M),
    # Other numeric forms, date only.
    ("dashes-date-only", "20-1-2022", "2022-01-20T00:00:00+07:00", D),
    ("slashes-date-only", "20/1/2022", "2022-01-20T00:00:00+07:00", D),
    ("dots-date-only", "20.01.2022", "2022-01-20T00:00:00+07:00", D),
    ("year-first-slashes", "2022/1/20", "2022-01-20T00:00:00+07:00", D),
    ("time-first", "18:20 20/01/2022", "2022-01-20T18:20:00+07:00", M),
    ("time-first-h", "18h20, thứ 5, 20/01/2022", "2022-01-20T18:20:00+07:00", M),
    ("pipe-between", "Thứ năm, 20/1/2022 | 18:20", "2022-01-20T18:20:00+07:00", M),
    ("luc", "Ngày 20/01/2022 lúc 18:20", "2022-01-20T18:20:00+07:00", M),
    # Labels.
    ("label-cap-nhat", "Cập nhật: 20/01/2022 - 18:20", "2022-01-20T18:20:00+07:00", M),
    ("label-ngay-dang", "Ngày đăng: 20/01/2022", "2022-01-20T00:00:00+07:00", D),
    ("label-posted", "Posted: 20/01/2022 18:20", "2022-01-20T18:20:00+07:00", M),
    ("label-updated-en", "Updated: Monday, January 20, 2022", "2022-01-20T00:00:00+07:00", D),
    # Words.
    ("vi-words", "20 tháng 1 năm 2022", "2022-01-20T00:00:00+07:00", D),
    ("vi-words-ngay", "ngày 20 tháng 01 năm 2022", "2022-01-20T00:00:00+07:00", D),
    (
        "vi-words-nfd",
        unicodedata.normalize("NFD", "Ngày 20 tháng 1 năm 2022"),
        "2022-01-20T00:00:00+07:00",
        D,
    ),
    ("en-month-first", "January 20, 2022", "2022-01-20T00:00:00+07:00", D),
    ("en-abbrev-time-pm", "Jan 20, 2022 6:20 PM", "2022-01-20T18:20:00+07:00", M),
    # ASP.NET in its US culture: month first only when day first is impossible and the clock
    # is an English AM/PM one (docs/site.md, "Forms from other chromes").
    ("aspnet-us-clock", "2/15/2023 3:05:00 PM", "2023-02-15T15:05:00+07:00", M),
    ("aspnet-day-first-possible", "12/6/2025 3:05:00 PM", "2025-06-12T15:05:00+07:00", M),
    ("en-abbrev-dot-am", "Sept. 5, 2021 9:05 a.m.", "2021-09-05T09:05:00+07:00", M),
    ("en-day-first", "20 January 2022", "2022-01-20T00:00:00+07:00", D),
    ("en-ordinal", "March 3rd, 2021", "2021-03-03T00:00:00+07:00", D),
    ("en-12-am", "Jan 20, 2022 12:05 AM", "2022-01-20T00:05:00+07:00", M),
    # ISO 8601 from metadata.
    ("iso-z", "2022-01-20T11:20:45Z", "2022-01-20T18:20:45+07:00", M),
    ("iso-z-crosses-midnight", "2022-01-20T20:30:00Z", "2022-01-21T03:30:00+07:00", M),
    ("iso-local-offset", "2022-01-20T18:20:00+07:00", "2022-01-20T18:20:00+07:00", M),
    ("iso-negative-offset", "2022-01-20T23:30:00-05:00", "2022-01-21T11:30:00+07:00", M),
    ("iso-compact-offset", "2022-01-20T18:20:00+0700", "2022-01-20T18:20:00+07:00", M),
    ("iso-naive-is-local", "2022-01-20T18:20:45", "2022-01-20T18:20:45+07:00", M),
    ("iso-no-seconds", "2022-01-20T18:20", "2022-01-20T18:20:00+07:00", M),
    ("iso-fraction-dropped", "2022-01-20T11:20:45.987Z", "2022-01-20T18:20:45+07:00", M),
    ("iso-space", "2022-01-20 18:20:00", "2022-01-20T18:20:00+07:00", M),
    ("iso-date-only", "2022-01-20", "2022-01-20T00:00:00+07:00", D),
    ("iso-lower-case", "2022-01-20t11:20:00z", "2022-01-20T18:20:00+07:00", M),
]

# (id, raw, reason)
INVALID = [
    ("none", None, "empty"),
    ("empty", "", "empty"),
    ("blank", "  \u00a0 ", "empty"),
    ("zero-width-only", "\u200b\ufeff", "empty"),
    ("words", "Tin mới nhất", "unparseable"),
    ("relative", "2 giờ trước", "unparseable"),
    ("two-digit-year", "20/01/22", "unparseable"),
    ("year-only", "2022", "unparseable"),
    ("trailing-junk", "20/01/2022 - 18:20 xem thêm", "unparseable"),
    ("two-times", "08:00 20/01/2022 18:20", "unparseable"),
    ("paragraph", "Ngày 20/01/2022 " + "x" * 300, "unparseable"),
    ("feb-31", "31/02/2022", "impossible_date"),
    ("feb-29-non-leap", "29/02/2021 - 10:00", "impossible_date"),
    ("month-13", "20/13/2022", "impossible_date"),
    ("month-first-us", "12/31/2022", "impossible_date"),
    ("month-first-24h-clock", "2/15/2023 15:05", "impossible_date"),
    ("month-first-sa-ch-clock", "2/15/2023 3:05:00 CH", "impossible_date"),
    ("day-zero", "00/01/2022", "impossible_date"),
    ("hour-25-minute-61", "20/01/2022 - 25:61", "impossible_date"),
    ("hour-24", "20/01/2022 - 24:00", "impossible_date"),
    ("minute-60", "20/01/2022 - 18:60", "impossible_date"),
    ("13-sa", "20/10/2016 13:00 SA", "impossible_date"),
    ("iso-month-13", "2022-13-01T10:00:00Z", "impossible_date"),
    ("iso-bad-offset", "2022-01-20T10:00:00+25:00", "impossible_date"),
    ("april-31", "April 31, 2022", "impossible_date"),
]


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [pytest.param(raw, value, precision, id=case_id) for case_id, raw, value, precision in VALID],
)
def test_parse_published_valid(raw: str, value: str, precision: str) -> None:
    assert parse_published(raw) == ParsedDate(value, precision, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [pytest.param(raw, reason, id=case_id) for case_id, raw, reason in INVALID],
)
def test_parse_published_invalid(raw: str | None, reason: str) -> None:
    assert parse_published(raw) == ParsedDate(None, None, reason)


def test_table_size() -> None:
    assert len(VALID) + len(INVALID) >= 45


def test_parsed_date_is_frozen() -> None:
    parsed = parse_published("20/01/2022 - 18:20")
    with pytest.raises(AttributeError):
        parsed.value = None  # type: ignore[misc]
