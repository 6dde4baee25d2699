"""Warm WeasyPrint when a process starts, so the first PDF a person asks for is not the slow one.

The first PDF rendered in a fresh process loads WeasyPrint, Pango and fontconfig's font list
(1.6 to 2.6 s measured for the first MoU in a fresh worker, against a budget of 1 s); later
ones take a fraction of that. `warm_pdf()` renders a tiny page with the fonts the MoU and the
reports use. gunicorn calls it in the master before it forks the workers (`when_ready`: each
worker, and each replacement after `max_requests`, inherits the warm state) and again in each
worker (`post_fork`: cheap when inherited), and Celery in its main process and each pool
process (config/celery.py). A failure is logged, never raised: a cold PDF is slow, not broken.
"""

import logging
import time

logger = logging.getLogger(__name__)

# The MoU's fonts (agreements/templates/agreements/agreement_pdf.html): sans-serif body and
# bold headings, the typed signature in an italic serif, hashes in a monospace; a page footer.
WARM_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; @bottom-center { content: "Page " counter(page); font-size: 9pt; } }
body { font-family: Arial, "Helvetica Neue", sans-serif; font-size: 11pt; }
.typed { font-family: "Times New Roman", serif; font-style: italic; }
code { font-family: "DejaVu Sans Mono", monospace; }
</style></head><body><h1>Warm-up</h1><p><strong>Bold</strong> and plain text.</p>
<p class="typed">A Signature</p><p><code>0123456789abcdef</code></p>
<table><tr><th>Signed</th><td>Today</td></tr></table></body></html>"""


def warm_pdf() -> float | None:
    """Render a tiny PDF; return the seconds it took, or None if it failed (logged)."""
    started = time.perf_counter()
    try:
        from weasyprint import HTML

        HTML(string=WARM_HTML).write_pdf()
    except Exception:  # noqa: BLE001 - a failed warm-up must never stop a worker starting
        logger.warning("PDF warm-up failed: the first PDF will be slower", exc_info=True)
        return None
    seconds = time.perf_counter() - started
    logger.info("PDF warm-up took %.2f s", seconds)
    return seconds
