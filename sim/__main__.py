"""The ``summit`` command (and ``python -m sim``). Loading numpy, Mesa and pandas takes most of a
second; a Ctrl-C in that time ends with one line, as it does later."""

from __future__ import annotations

import os
import sys


def main() -> int:
    try:
        from sim.cli import main as run
    except KeyboardInterrupt:
        print("summit: stopped by Ctrl-C", file=sys.stderr)
        sys.stderr.flush()
        # Nothing has been written yet, so leave at once. A normal exit lets CPython 3.12 end the
        # process by SIGINT instead (exit status -2 rather than 130) in about one stop in ten under
        # load, when the Ctrl-C lands inside an import it interrupts.
        os._exit(130)
    return run()


if __name__ == "__main__":
    sys.exit(main())
