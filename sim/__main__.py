"""The ``summit`` command (and ``python -m sim``). Loading numpy, Mesa and pandas takes most of a
second; a Ctrl-C in that time ends with one line, as it does later."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from sim.cli import main as run
    except KeyboardInterrupt:
        print("summit: stopped by Ctrl-C", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
