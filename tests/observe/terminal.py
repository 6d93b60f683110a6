"""A tiny terminal: enough of one to tell what a person would see on the screen after a program
wrote text with carriage returns and erase-line codes (the progress bar's only controls)."""

from __future__ import annotations

import re

_CSI = re.compile(r"\x1b\[(\d*)([A-Za-z])")


def screen(raw: str) -> list[str]:
    """The lines as displayed: `\\r` returns to column 0, `ESC[2K`/`ESC[K` erase, text overwrites."""
    lines: list[list[str]] = [[]]
    col = 0
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\x1b":
            m = _CSI.match(raw, i)
            if m:
                arg, cmd = m.group(1), m.group(2)
                if cmd == "K":
                    line = lines[-1]
                    if arg == "2":
                        lines[-1] = [" "] * len(line)
                    else:  # erase to the end of the line
                        del line[col:]
                i = m.end()
                continue
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append([])
            col = 0
        else:
            line = lines[-1]
            if col < len(line):
                line[col] = ch
            else:
                line.extend(" " * (col - len(line)))
                line.append(ch)
            col += 1
        i += 1
    return ["".join(line).rstrip() for line in lines]
