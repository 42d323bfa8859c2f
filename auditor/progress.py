"""Progress on a terminal: a stage still running after two seconds is announced on stderr
("mlaudit: reasoning…"), and the same line gets its time when the stage ends ("mlaudit: reasoning…
3.1 s"), so a long audit (a large lineage's reasoning, a 100-page PDF) shows what it is doing while
it does it.

Only when stderr is a terminal: a pipe or a CI log stays as it was, and no timing ever reaches a
report, whose bytes depend on the input alone.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

SLOW = 2.0  # seconds: a stage running this long is announced
LABELS = {"harvest": "harvesting", "reason": "reasoning", "repair": "repair search"}  # names that read badly alone


class Progress:
    """A stage hook (see audit.stage): told when a stage starts, it sets a timer that announces the
    stage once it has run `slow` seconds; told its end, it stops the timer and, if the stage was
    announced, completes the line with the time taken."""

    def __init__(self, stream: TextIO, slow: float = SLOW) -> None:
        self.stream = stream
        self.slow = slow
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._running = 0  # which start the timer belongs to: a late timer of an ended stage stays quiet
        self._announced: str | None = None  # the stage whose line waits for its time

    def start(self, stage: str) -> None:
        self._stop()
        with self._lock:
            self._running += 1
            timer = threading.Timer(self.slow, self._announce, (stage, self._running))
            timer.daemon = True  # never keeps the process alive
            self._timer = timer
        timer.start()

    def __call__(self, stage: str, seconds: float) -> None:
        self._stop()
        with self._lock:
            if self._announced == stage:  # the line is on screen: rewrite it whole, with the time
                self._write(f"\rmlaudit: {LABELS.get(stage, stage)}… {seconds:.1f} s\n")
                self._announced = None
            elif seconds > self.slow:  # slow, but never announced (told no start)
                self._write(f"mlaudit: {LABELS.get(stage, stage)}… {seconds:.1f} s\n")

    def _announce(self, stage: str, running: int) -> None:
        with self._lock:
            if self._timer is not None and running == self._running:
                self._write(f"mlaudit: {LABELS.get(stage, stage)}…")
                self._announced = stage

    def _stop(self) -> None:
        with self._lock:
            timer, self._timer = self._timer, None
            self._running += 1
        if timer is not None:
            timer.cancel()

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def on_terminal(stream: TextIO | None = None) -> Progress | None:
    """The hook for stderr (or `stream`) if it is a terminal, else none."""
    stream = stream or sys.stderr
    return Progress(stream, SLOW) if stream.isatty() else None
