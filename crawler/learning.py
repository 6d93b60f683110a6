"""The learned page templates of a crawl: one per edition host, loaded from the state store when
the spider opens, taught by every item page, saved when it closes (and every `SAVE_EVERY` pages,
so a killed run keeps most of what it learned).

The page modules only see the chrome signatures (crawler/pages/template.py); this class is the
plumbing: stats (`template/<edition>/pages`, `.../chrome_blocks`, `template/redesigns`), a warning
when a redesign is noticed, and the summary the run report shows.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from crawler.pages.template import Template

__all__ = ["TemplateBook", "markdown_lines"]

logger = logging.getLogger(__name__)

SAVE_EVERY = 200
"""Pages between two saves of a template to the state store."""


class TemplateBook:
    def __init__(self, state: Any, crawler: Any, now: Any) -> None:
        """`state`: the StateStore; `crawler`: its stats are counted in (they exist only once
        the crawl starts); `now`: a callable giving the current time as an ISO string."""
        self.state, self.crawler, self.now = state, crawler, now
        self.templates: dict[str, Template] = {}
        self.loaded: dict[str, str] = {}
        """Edition -> fingerprint of the template the run started with ("" if none)."""
        self.redesigns: dict[str, int] = {}
        """Edition -> redesigns noticed in this run."""
        self._since_save: dict[str, int] = {}

    def template(self, edition: str) -> Template:
        t = self.templates.get(edition)
        if t is None:
            data = self.state.template(edition)
            t = Template.from_json(data) if data else Template()
            self.templates[edition] = t
            self.loaded[edition] = t.fingerprint()
        return t

    def chrome(self, edition: str) -> frozenset[str]:
        return self.template(edition).chrome()

    def observe(self, edition: str, blocks: frozenset[str], url: str) -> None:
        """Learn from one item page of `edition`'s host."""
        if not blocks:
            return
        t = self.template(edition)
        if t.observe(blocks):
            self.redesigns[edition] = self.redesigns.get(edition, 0) + 1
            self.crawler.stats.inc_value("template/redesigns")
            logger.warning(
                "the %s pages stopped matching the learned page template (at %s): a redesign? "
                "learning the template again",
                edition,
                url,
            )
        self.crawler.stats.set_value(f"template/{edition}/pages", t.pages)
        self.crawler.stats.set_value(f"template/{edition}/chrome_blocks", len(t.chrome()))
        n = self._since_save.get(edition, 0) + 1
        self._since_save[edition] = n
        if n >= SAVE_EVERY:
            try:
                self.save(edition)
            except sqlite3.Error as e:  # an unwritable OUTPUT_DIR: the run stops on its own
                logger.warning("the learned page template could not be saved: %s", e)
                self._since_save[edition] = 0

    def save(self, edition: str | None = None) -> None:
        for ed in [edition] if edition else list(self.templates):
            self.state.save_template(ed, self.templates[ed].to_json(), self.now())
            self._since_save[ed] = 0

    def close(self) -> None:
        """When the run closes: the summary for the report, and a last save."""
        self.crawler.stats.set_value("template/summary", self.summary())
        try:
            self.save()
        except sqlite3.Error as e:
            # An unwritable OUTPUT_DIR: the run stops on its own status; what was learned since
            # the last save is learned again from the next run's first pages.
            logger.warning("the learned page template could not be saved: %s", e)

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per edition: what the run started with, what it learned, and redesigns noticed."""
        out = {}
        for ed, t in sorted(self.templates.items()):
            out[ed] = {
                "fingerprint": t.fingerprint(),
                "fingerprint_at_start": self.loaded.get(ed, ""),
                "pages_learned_from": t.pages,
                "blocks_judged_chrome": len(t.chrome()),
                "redesigns_this_run": self.redesigns.get(ed, 0),
            }
        return out


def markdown_lines(summary: dict[str, dict[str, Any]] | None) -> list[str]:
    """The report's "Page template" section: what was learned per edition host."""
    if not summary:
        return []
    lines = [
        "## Page template learned from the site",
        "",
        "Blocks repeated across a host's pages (menus, header clock, footers, static boxes) are "
        "chrome; extraction treats them as furniture.",
        "",
        "| edition | fingerprint | at start | pages learned from | blocks judged chrome "
        "| redesigns noticed |",
        "|---|---|---|---:|---:|---:|",
    ]
    for ed, t in summary.items():
        lines.append(
            f"| {ed} | `{t['fingerprint'] or '-'}` | `{t['fingerprint_at_start'] or '-'}` | "
            f"{t['pages_learned_from']:,} | {t['blocks_judged_chrome']:,} | "
            f"{t['redesigns_this_run']} |"
        )
    if any(t["redesigns_this_run"] for t in summary.values()):
        lines += [
            "",
            "**The pages stopped matching the learned template during this run (a redesign?).** "
            "Learning started again; check the field coverage above.",
        ]
    return [*lines, ""]
