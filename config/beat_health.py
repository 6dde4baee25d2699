"""Whether Celery beat is ticking: `python -m config.beat_health` (docker compose's health check).

config.beat.HeartbeatScheduler touches BEAT_HEARTBEAT_FILE after every tick (at least every
few seconds, `beat_max_loop_interval`). A beat that is stuck (its database gone, say) stops
touching it, and this check fails. Imports nothing of Django's, so it runs in a moment.
"""

import os
import sys
import time
from pathlib import Path

# Older than this, the heartbeat says beat is not ticking.
STALE_AFTER_SECONDS = 120


def heartbeat_file() -> Path:
    default = Path(__file__).resolve().parent.parent / "var" / "celerybeat-heartbeat"
    return Path(os.environ.get("BEAT_HEARTBEAT_FILE", default))


def beat_is_ticking(*, now: float | None = None) -> bool:
    """Return whether beat has ticked within STALE_AFTER_SECONDS."""
    try:
        touched = heartbeat_file().stat().st_mtime
    except FileNotFoundError:
        return False
    return (now or time.time()) - touched <= STALE_AFTER_SECONDS


if __name__ == "__main__":
    if beat_is_ticking():
        sys.exit(0)
    print(f"Celery beat has not ticked for over {STALE_AFTER_SECONDS} s.", file=sys.stderr)
    sys.exit(1)
