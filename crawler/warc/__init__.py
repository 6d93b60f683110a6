"""The WARC archiving layer: every HTTP exchange of a crawl, as received, in gzipped WARC 1.1.

middleware.py  WarcMiddleware (downloader middleware, priority 950): records + pointers in meta
writer.py      files: IIPC names, rotation at WARC_MAX_SIZE, crash-safe appends, recovery
index.py       digest index (revisits), sha256 manifest, CDXJ per closed file
archive.py     reading back: iter_responses(warc_dir), lookup(cdxj_or_dir, url), resolve(...)
"""
