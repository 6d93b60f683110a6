"""Observability: what a run is doing while it runs, and what it produced once it has run.

    coverage.py   field coverage counted from the records as written (the RecordPipeline's hook)
    gates.py      quality gates: a warning and a failure level per threshold, evaluated at close
    history.py    facts from the state store: counts per edition, type and section of the run,
                  the archive per month, the previous comparable run and the comparison with it
    chart.py      the report's picture (hand-written SVG: records per month, field coverage)
    progress.py   periodic progress lines and, on a terminal, a live progress bar
    stats.py      the stats collector (Scrapy's in-memory one, without its per-call shim)

crawler.report puts them together into OUTPUT_DIR/reports/<run_id>.{json,md,svg}.
"""
