"""Item pipelines, in ITEM_PIPELINES order (crawler/settings.py; the README's "Pipeline order").

  100 NormalizePipeline  (normalize.py) text rules of docs/contract.md on every string; counts
                         changes and extraction strategies
  500 RecordPipeline     (record.py) stages, merges, versions, validates and writes records
Items are dicts whose `_fetch` key carries what the spider knew about the exchange (URL, edition of the
host, validators, WARC pointers); it never reaches the output.
"""

from crawler.pipelines.normalize import NormalizePipeline
from crawler.pipelines.record import RecordPipeline

__all__ = ["NormalizePipeline", "RecordPipeline"]
