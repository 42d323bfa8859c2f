"""report.pdf: the HTML report's template in its paged form, laid out by WeasyPrint, for signing and archiving.

The bytes depend on the document alone: WeasyPrint writes no creation date unless the page asks for
one, the PDF identifier is the MD5 of the file's own content, and the font subsets it embeds carry
the fixed date FONT_DATE instead of the time of writing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from auditor.parsed import JSONObject
from auditor.report import OutputError, html

# WeasyPrint lays out the rest of an unbreakable run of characters again for every line it fills:
# the time grows with the square of the run's length, so a hostile 100 kB name would take hours.
LONGEST_RUN = 1000
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")
# fontTools stamps each font subset's `head.modified` with the time, or with SOURCE_DATE_EPOCH when
# set (reproducible-builds.org): pinned to the Unix epoch, whatever the caller's environment says
FONT_DATE = "0"


def render(document: JSONObject) -> bytes:
    try:  # WeasyPrint takes about 1.6 s to import: only when a PDF is asked for
        from weasyprint import HTML, URLFetcher
    except (ImportError, OSError) as exc:  # OSError: the Pango library is not installed
        raise OutputError(
            f"report.pdf needs WeasyPrint and the Pango library (on Debian: apt-get install "
            f"libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core): {exc}"
        ) from None

    page = html.render(html.map_strings(document, _shortened), paged=True)
    nothing_fetched = URLFetcher(allowed_protocols=())  # the page is self-contained; refuse any URL
    with _source_date(FONT_DATE):
        pdf: bytes = HTML(string=page, url_fetcher=nothing_fetched).write_pdf(pdf_identifier=True)
    return pdf


@contextmanager
def _source_date(epoch: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `epoch` while the PDF is written, then as it was."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _shortened(text: str) -> str:
    """Text with each unbroken run beyond LONGEST_RUN characters cut, saying how much was cut."""
    return _LONG_RUN.sub(lambda run: f"{run[0][:LONGEST_RUN]}… [{len(run[0]) - LONGEST_RUN} more characters]", text)
