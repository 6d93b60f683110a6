"""Synthetic text for the replica: Vietnamese with full diacritics, English, names, slugs, encodings.

Everything here is a pure function of a `random.Random` handed in by the caller, so the model stays
deterministic per seed. Nothing is parsed back from HTML.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata

# ---------------------------------------------------------------------------------------------------------
# Hashing: stable across processes (never Python's hash()).


def h64(*parts: object) -> int:
    data = "\x1f".join(map(str, parts)).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def hfrac(*parts: object) -> float:
    return h64(*parts) / 18446744073709551616.0


_M64 = (1 << 64) - 1


def _splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


class Hasher:
    """Fast per-(seed, tag) hashing of small integers for the hot paths (one call per article
    in the listing index, thirty per body for links): splitmix64 keyed by a blake2b of the tag."""

    def __init__(self, seed: int, tag: str) -> None:
        self.key = h64(seed, tag)

    def int(self, a: int, b: int = 0) -> int:
        return _splitmix((self.key + a * 0x9E3779B97F4A7C15 + b * 0xC2B2AE3D27D4EB4F) & _M64)

    def frac(self, a: int, b: int = 0) -> float:
        return self.int(a, b) / 18446744073709551616.0


def rng(*parts: object) -> random.Random:
    # str seeds go through sha512 in random.seed(version=2): identical in every process.
    return random.Random("\x1f".join(str(p) for p in parts))


# ---------------------------------------------------------------------------------------------------------
# Slugs and encodings


class _SlugTable(dict):
    """str.translate table: each character to its ASCII slug form, computed once per character."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in "Đđ":
            v = "d"
        else:
            base = "".join(
                x for x in unicodedata.normalize("NFD", c) if unicodedata.category(x) != "Mn"
            )
            v = base.lower() if base.isascii() and base.isalnum() else "-"
        self[code] = v
        return v


_SLUG_TABLE = _SlugTable()
_HYPHENS = re.compile(r"-+")


def slugify(title: str) -> str:
    """The CMS slug: lower-cased, diacritics stripped, đ→d, everything else hyphenated."""
    s = _HYPHENS.sub("-", title.translate(_SLUG_TABLE)).strip("-")
    return s or "bai-viet"


_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: precomposed in cp1258


def to_cp1258(text: str) -> bytes:
    """Encode like Vietnamese Windows text: letters with circumflex/breve/horn precomposed where
    cp1258 has them, tone marks as separate combining characters."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = nfd[0] + "".join(m for m in nfd[1:] if m in _SHAPE_MARKS)
        tones = "".join(m for m in nfd[1:] if m not in _SHAPE_MARKS)
        out.append(
            (unicodedata.normalize("NFC", base) + tones).encode("cp1258", "xmlcharrefreplace")
        )
    return b"".join(out)


# ---------------------------------------------------------------------------------------------------------
# Vocabulary

VI_PLACES = [
    "TP.Tân An", "thị xã Kiến Tường", "huyện Đức Hòa", "huyện Đức Huệ", "huyện Bến Lức",
    "huyện Cần Giuộc", "huyện Cần Đước", "huyện Tân Trụ", "huyện Châu Thành", "huyện Thủ Thừa",
    "huyện Thạnh Hóa", "huyện Tân Thạnh", "huyện Mộc Hóa", "huyện Vĩnh Hưng", "huyện Tân Hưng",
    "xã Mỹ Yên", "xã Long Hựu Đông", "xã Bình Đức", "phường 4", "xã Hựu Thạnh",
]  # fmt: skip
VI_SUBJECTS = [
    "Tỉnh ủy Long An", "UBND tỉnh", "HĐND tỉnh", "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Hội Nông dân tỉnh", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "Ủy ban MTTQ Việt Nam tỉnh", "Bệnh viện Đa khoa Long An",
    "Liên đoàn Lao động tỉnh", "Sở Văn hóa, Thể thao và Du lịch", "Ban Tuyên giáo Tỉnh ủy",
    "Đảng bộ huyện Cần Đước", "Hợp tác xã Thạnh Lợi", "Trường THPT Lê Quý Đôn", "Ngân hàng Chính sách xã hội",
    "Sở Kế hoạch & Đầu tư", "Đồn Biên phòng Mỹ Quý Tây",
]  # fmt: skip
VI_VERBS = [
    "triển khai", "tổ chức", "kiểm tra", "tổng kết", "phát động", "đẩy mạnh", "hỗ trợ", "khánh thành",
    "trao tặng", "ra quân", "sơ kết", "họp mặt", "tuyên dương", "khảo sát", "đối thoại về",
    "bàn giải pháp cho", "góp ý", "thẩm định", "đón nhận", "khởi công",
]  # fmt: skip
VI_OBJECTS = [
    "kế hoạch phát triển kinh tế - xã hội năm {y}", "mô hình trồng thanh long công nghệ cao",
    "công tác phòng, chống dịch bệnh", "chương trình xây dựng nông thôn mới nâng cao",
    "hội thi văn nghệ quần chúng", "dự án đường vành đai", "lễ giao nhận quân năm {y}",
    "Tháng hành động vì an toàn thực phẩm", "chuyển đổi số trong nông nghiệp", "vùng lúa chất lượng cao",
    "Đại hội Đảng bộ nhiệm kỳ 2025 - 2030", "nhà tình nghĩa cho gia đình chính sách",
    "giải bóng đá thiếu niên nhi đồng", "Ngày hội Đại đoàn kết toàn dân tộc", "hệ thống thủy lợi nội đồng",
    "công tác cải cách hành chính", "Lễ hội Làng nổi Tân Lập", "học bổng cho học sinh nghèo vượt khó",
    "sản phẩm OCOP đạt chuẩn 4 sao", "phong trào “Toàn dân bảo vệ an ninh Tổ quốc”",
    "khu công nghiệp Đức Hòa III", "việc điều chỉnh quy hoạch đô thị",
]  # fmt: skip
VI_OPENERS = [
    "Sáng {d}/{m}, ", "Chiều {d}/{m}, ", "Ngày {d}/{m}, ", "Theo đó, ", "Dịp này, ", "Được biết, ",
    "Tại buổi làm việc, ", "Phát biểu tại hội nghị, ", "Trong năm {y}, ", "Thời gian qua, ", "",
    "Bên cạnh đó, ", "Đến nay, ",
]  # fmt: skip
VI_CLAUSES = [
    "{s} {v} {o} tại {p}",
    "lãnh đạo {s} đề nghị các ngành tiếp tục {v} {o}",
    "người dân {p} phấn khởi khi {o} được triển khai đồng bộ",
    "đoàn công tác đã đến thăm, tặng quà cho các hộ gia đình khó khăn ở {p}",
    "tổng kinh phí thực hiện hơn {n} tỷ đồng, do ngân sách tỉnh và nhân dân cùng đóng góp",
    "có {n} đại biểu đại diện các sở, ngành, địa phương tham dự",
    "đơn vị đã hoàn thành {n}% chỉ tiêu đề ra, vượt kế hoạch so với cùng kỳ",
    "địa phương chú trọng nâng cao đời sống vật chất, tinh thần cho nhân dân",
    "các đại biểu thống nhất cần đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "mô hình bước đầu mang lại hiệu quả kinh tế, giúp nông dân tăng thu nhập",
    "{s} sẽ tiếp tục phối hợp chặt chẽ với {p} để tháo gỡ khó khăn, vướng mắc",
    "ông Nguyễn Văn Đức cho biết kết quả này là động lực để địa phương phấn đấu trong thời gian tới",
    "bà Trần Thị Hồng Nhung chia sẻ, gia đình bà đã thoát nghèo nhờ được hỗ trợ vốn vay ưu đãi",
    "sự kiện thu hút đông đảo đoàn viên, thanh niên và người dân trên địa bàn tham gia",
]  # fmt: skip
VI_SUBHEADS = [
    "Nhiều kết quả tích cực", "Tháo gỡ khó khăn cho doanh nghiệp", "Phát huy sức mạnh đoàn kết",
    "Nâng cao chất lượng cuộc sống", "Hướng đến phát triển bền vững", "Quyết tâm hoàn thành chỉ tiêu",
    "Đổi mới phương thức hoạt động", "Chung tay vì cộng đồng",
]  # fmt: skip
VI_KICKERS = [
    "TP.Tân An", "Đức Hòa", "Cần Giuộc", "Kỷ niệm 50 năm Ngày Giải phóng miền Nam",
    "Chủ tịch UBND tỉnh:", "Hướng tới Đại hội Đảng bộ tỉnh", "Phóng sự", "Người tốt - việc tốt",
]  # fmt: skip
VI_CAPTIONS = [
    "Đại biểu tham quan gian hàng trưng bày sản phẩm OCOP",
    "Lãnh đạo tỉnh trao quà cho các hộ gia đình chính sách",
    "Quang cảnh hội nghị", "Nông dân thu hoạch lúa Hè Thu",
    "Lực lượng vũ trang tham gia diễu binh", "Các em học sinh trong giờ học tiếng Anh",
    "Công trình đường giao thông nông thôn được đưa vào sử dụng",
    "Đoàn công tác kiểm tra tiến độ thi công dự án", "Tiết mục văn nghệ chào mừng",
    "Bác sĩ khám bệnh, cấp thuốc miễn phí cho người dân", "Thanh long ruột đỏ được trồng theo hướng VietGAP",
]  # fmt: skip
VI_NAMES = [
    "Thanh Hải", "Hữu Bằng", "Thanh Hiểu", "Kim Hoàng", "Minh Trí", "Phương Thảo", "Đức Anh", "Ngọc Mận",
    "Quốc Thanh", "Mai Hương", "Việt Tiệp", "Bảo Trâm", "Thanh Nga", "Gia Phú", "Lê Đức", "Vĩnh Hòa",
    "Hoàng Phúc", "Khánh Duy", "Cẩm Tú", "Đăng Khoa",
]  # fmt: skip
VI_PHOTO_CREDITS = ["KDL cung cấp", "NVCC", "Tư liệu", "CTV", "TTXVN"]
VI_SOURCES = ["TTXVN", "Báo Nhân Dân", "Báo Tây Ninh", "Cổng TTĐT Chính phủ"]

EN_PLACES = [
    "Tan An city", "Kien Tuong town", "Duc Hoa district", "Duc Hue district", "Ben Luc district",
    "Can Giuoc district", "Can Duoc district", "Tan Tru district", "Chau Thanh district", "Thu Thua district",
    "Thanh Hoa district", "Moc Hoa district", "Vinh Hung district", "Tan Hung district",
]  # fmt: skip
EN_SUBJECTS = [
    "Long An provincial People's Committee", "The provincial Party Committee", "Long An farmers",
    "The Department of Agriculture and Rural Development", "Local authorities", "The provincial police",
    "Youth union members", "The provincial Women's Union", "Long An General Hospital",
    "Investors from Japan", "The Department of Culture, Sports and Tourism", "Border guards",
]  # fmt: skip
EN_VERBS = [
    "launches", "reviews", "promotes", "supports", "inaugurates", "discusses", "celebrates", "inspects",
    "boosts", "welcomes", "strengthens", "honours",
]  # fmt: skip
EN_OBJECTS = [
    "digital transformation in agriculture", "high-tech dragon fruit farming", "new rural development programme",
    "the socio-economic development plan for {y}", "ring road project", "OCOP products at trade fair",
    "safety of food in markets", "scholarships for poor students", "industrial park investment",
    "administrative reform", "the Tan Lap floating village festival", "clean water supply for residents",
]  # fmt: skip
EN_CLAUSES = [
    "{s} {v} {o} in {p}",
    "leaders asked agencies to continue working on {o}",
    "residents of {p} welcomed the project with enthusiasm",
    "the delegation visited and presented gifts to disadvantaged families in {p}",
    "the total cost is more than VND {n} billion, funded by the provincial budget",
    "about {n} delegates representing departments and localities attended the event",
    "the unit has fulfilled {n} percent of its annual targets",
    "the model has brought good economic efficiency and helped farmers raise their incomes",
    "{s} will keep working closely with {p} to remove difficulties",
    "the event attracted a large number of young people and local residents",
]  # fmt: skip
EN_OPENERS = [
    "On {m_name} {d}, ", "In {y}, ", "According to the report, ", "At the meeting, ", "", "Besides, ",
    "So far, ", "Speaking at the ceremony, ",
]  # fmt: skip
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]  # fmt: skip
EN_SUBHEADS = ["Positive results", "Removing obstacles for businesses", "Towards sustainable development",
               "Improving people's lives"]  # fmt: skip
EN_KICKERS = ["Long An", "Interview", "Tourism", "50 years of national reunification"]
EN_CAPTIONS = [
    "Delegates visit the booths displaying OCOP products", "Provincial leaders present gifts to families",
    "An overview of the conference", "Farmers harvest the summer-autumn rice crop",
    "Students in an English class", "The new rural road is put into use", "A performance at the event",
    "Doctors examine local people free of charge",
]  # fmt: skip
EN_NAMES = ["Thuy Anh", "Kim Khanh", "Phuong Phuong", "Dinh Thanh", "Thanh Nga", "Chi Tam", "Minh Duc",
            "Bao Tram", "Hoai Thuong", "Khanh Duy"]  # fmt: skip
EN_PHOTO_CREDITS = ["NVCC", "Internet", "VNA", "Chi Tam", "Thanh Nga"]
EN_SOURCES = ["VNA", "VNA/VNS", "Vietnam+"]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Slots(dict):
    """Template slots drawn only when a template uses them (format_map calls __missing__)."""

    def __init__(self, r: random.Random, lang: str, year: int) -> None:
        super().__init__()
        self.r, self.lang, self.year = r, lang, year

    def __missing__(self, key: str) -> str:
        r, vi = self.r, self.lang == "vi"
        if key == "s":
            v = r.choice(VI_SUBJECTS if vi else EN_SUBJECTS)
        elif key == "v":
            v = r.choice(VI_VERBS if vi else EN_VERBS)
        elif key == "o":
            v = r.choice(VI_OBJECTS if vi else EN_OBJECTS).format(y=self.year)
        elif key == "p":
            v = r.choice(VI_PLACES if vi else EN_PLACES)
        elif key == "n":
            v = str(r.randint(2, 95))
        elif key == "y":
            v = str(self.year)
        elif key == "d":
            v = str(r.randint(1, 28))
        elif key == "m":
            v = str(r.randint(1, 12))
        elif key == "m_name":
            v = r.choice(EN_MONTHS)
        else:
            raise KeyError(key)
        self[key] = v
        return v


def _fill(tpl: str, r: random.Random, lang: str, year: int) -> str:
    return tpl.format_map(_Slots(r, lang, year)) if "{" in tpl else tpl


def title(r: random.Random, lang: str, year: int) -> str:
    if lang == "vi":
        forms = [
            "{s} {v} {o}", "{s} {v} {o}", "{p}: {v} {o}", "{s} {v} {o} tại {p}", "Đẩy mạnh {o}",
            "{p} {v} {o}", "Long An: {v} {o} năm {y}", "{s} {v} {o} cho người dân {p}",
        ]  # fmt: skip
    else:
        forms = [
            "{s} {v} {o}",
            "{s} {v} {o}",
            "{p} {v} {o}",
            "Long An {v} {o}",
            "{s} {v} {o} in {p}",
        ]
    return _cap(_fill(r.choice(forms), r, lang, year))


def sentence(r: random.Random, lang: str, year: int) -> str:
    openers, clauses = (VI_OPENERS, VI_CLAUSES) if lang == "vi" else (EN_OPENERS, EN_CLAUSES)
    opener = _fill(r.choice(openers), r, lang, year)
    body = _fill(r.choice(clauses), r, lang, year)
    return _cap(opener + body) + "."


def paragraph(r: random.Random, lang: str, year: int, n: int | None = None) -> str:
    return " ".join(sentence(r, lang, year) for _ in range(n or r.randint(2, 4)))


def subhead(r: random.Random, lang: str) -> str:
    return r.choice(VI_SUBHEADS if lang == "vi" else EN_SUBHEADS)


def kicker(r: random.Random, lang: str) -> str:
    return r.choice(VI_KICKERS if lang == "vi" else EN_KICKERS)


def caption_core(r: random.Random, lang: str) -> str:
    return r.choice(VI_CAPTIONS if lang == "vi" else EN_CAPTIONS)


def names(r: random.Random, lang: str, k: int) -> list[str]:
    return r.sample(VI_NAMES if lang == "vi" else EN_NAMES, k)
