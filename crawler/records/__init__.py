"""What a record is made of, as plain functions on dicts: no Scrapy, no state store, no files.

merge.py      what the run saw of an id (sections, URLs, editions) -> the record's fields
version.py    content versions: unchanged or the next version, and which of two fetches to keep
row.py        the state store's row for an id, from a record
tombstone.py  the tombstone of an item that is gone
sightings.py  the sightings stream: lines for what was seen after the record, and folding them back

The item pipelines (crawler/pipelines/) call these through ItemAdapter; the latest view
(crawler/latest.py) and `scrapy rebuild_state` (crawler/rebuild.py) fold sightings with them too.
"""
