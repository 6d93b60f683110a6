"""Archive crawler for Báo Long An online (baolongan.vn, news.baolongan.vn)."""

__version__ = "0.1.0"
