"""Data products built from an archive's finished files: Parquet per stream (parquet.py) and a WACZ
package of the WARC files (wacz.py), made by `scrapy export` (crawler/commands/export.py)."""
