"""`scrapy rebuild_state [OUTPUT_DIR]`: a new state store from the archive's records and WARC files
(crawler.rebuild), for an OUTPUT_DIR whose state store was lost or damaged. A crawl refuses to
start on such a folder (exit status 2) and names this command.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.errors import CrawlerError
from crawler.rebuild import rebuild_state
from crawler.run import RunContext
from crawler.statecheck import state_problem
from crawler.status import EXIT_CODES


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[OUTPUT_DIR] [--force]"

    def short_desc(self) -> str:
        return "Rebuild OUTPUT_DIR's state store from its records and WARC files"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--force", action="store_true", help="rebuild even when the state store looks usable"
        )

    def run(self, args, opts) -> None:
        assert self.settings is not None
        if len(args) > 1:
            raise UsageError("give at most one OUTPUT_DIR")
        settings = self.settings.copy()
        if args:
            settings.set("OUTPUT_DIR", args[0], priority="cmdline")
        try:
            run = RunContext.from_settings(settings)
            if not (run.output_dir / "records").is_dir():
                raise UsageError(f"{run.output_dir} holds no records to rebuild from")
            # The crawl's own lock: a live run must not see its state store replaced.
            run._take_lock()
        except CrawlerError as error:
            print(f"error: {error}", file=sys.stderr)
            self.exitcode = EXIT_CODES[error.status]
            return
        try:
            problem = state_problem(run.output_dir)
            if problem is None and not opts.force:
                print(f"{run.output_dir}: the state store is usable; nothing rebuilt (--force)")
                return
            counts = rebuild_state(run.output_dir, run.editions)
        finally:
            run.release()
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        print(f"{run.output_dir}: state store rebuilt ({problem or 'forced'}): {summary}")
        print(f"the old one, if any, is kept as {Path(run.output_dir, 'state.sqlite3')}.broken-*")
