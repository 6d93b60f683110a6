"""Data products built from an archive's finished files: Parquet per stream (parquet.py), made by
`scrapy export` (crawler/commands/export.py)."""
