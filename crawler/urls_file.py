"""Reading `urls_file=`: streamed line by line, UTF-8 with or without a BOM, over-long lines cut.

A urls file may be big (a 20 MB export) or odd (a BOM from Notepad, one latin-1 byte, a
10,000-character URL). Nothing here reads the whole file or a whole over-long line into memory,
and nothing logs a line whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 64 * 1024  # bytes read at a time; a line longer than this is over-long anyway
DEFAULT_MAX_URL = 2000  # characters; browsers and servers commonly refuse longer URLs


@dataclass(frozen=True)
class Line:
    number: int
    text: str | None  # None: not UTF-8, or longer than CHUNK bytes (see `length`)
    length: int  # bytes, without the line end
    undecodable: bool = False


def lines(path: Path) -> Iterator[Line]:
    """Every line of the file, numbered from 1, decoded as UTF-8 (a BOM on line 1 is dropped).
    A line longer than CHUNK bytes is consumed in chunks and yielded without its text."""
    with open(path, "rb") as fh:
        number = 0
        while True:
            raw = fh.readline(CHUNK)
            if not raw:
                return
            number += 1
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            length = len(raw.rstrip(b"\r\n"))
            if not raw.endswith(b"\n") and len(raw) >= CHUNK:
                while (more := fh.readline(CHUNK)) and not more.endswith(b"\n"):
                    length += len(more)
                length += len(more.rstrip(b"\r\n"))
                yield Line(number, None, length)
                continue
            try:
                yield Line(number, raw.decode("utf-8").strip(), length)
            except UnicodeDecodeError:
                yield Line(number, None, length, undecodable=True)


def undecodable_lines(path: Path) -> list[int]:
    """Numbers of the lines that are not UTF-8 (one pass over the file)."""
    return [line.number for line in lines(path) if line.undecodable]


def describe(numbers: list[int], shown: int = 10) -> str:
    """`3, 7 and 12` / `3, 7, 12, ... (25 lines)`: line numbers for a one-line message."""
    head = ", ".join(str(n) for n in numbers[:shown])
    return head if len(numbers) <= shown else f"{head}, ... ({len(numbers)} lines)"
