"""Progress on a terminal: a line on stderr for each stage slower than two seconds, so that a long
audit (a large lineage's reasoning, a 100-page PDF) shows where the time goes.

Only when stderr is a terminal: a pipe or a CI log stays as it was, and no timing ever reaches a
report, whose bytes depend on the input alone.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

SLOW = 2.0  # seconds: a stage this long gets its line
LABELS = {"reason": "reasoning", "repair": "repair search"}  # the stage names that read badly alone


@dataclass(frozen=True)
class Progress:
    """A stage hook (see audit.run) that writes one line per slow stage."""

    stream: TextIO
    slow: float = SLOW

    def __call__(self, stage: str, seconds: float) -> None:
        if seconds > self.slow:
            self.stream.write(f"mlaudit: {LABELS.get(stage, stage)}… {seconds:.1f} s\n")
            self.stream.flush()


def on_terminal(stream: TextIO | None = None) -> Progress | None:
    """The hook for stderr (or `stream`) if it is a terminal, else none."""
    stream = stream or sys.stderr
    return Progress(stream, SLOW) if stream.isatty() else None
