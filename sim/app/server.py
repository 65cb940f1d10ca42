"""Start the classroom app on this machine: ``summit app [SCENARIO]``.

It binds 127.0.0.1 unless told otherwise, serves Solara's assets from the installed packages (the
page loads with no internet), runs in Solara's production mode (no check pings to solara.dev), without
its version check against PyPI, and with its telemetry off.

Open to other machines (``--host``, for a classroom), the page does not read a path typed into it:
the loader's messages quote what they refuse, line by line, so a typed path would show anyone who
can reach the page the text of this machine's files. Students drop or upload their files instead."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from sim.errors import ScenarioError

PAGE = Path(__file__).with_name("page.py")
TYPED_PATHS = "SUMMIT_APP_TYPED_PATHS"  # "1": the page reads paths typed into it (this machine only)


def only_this_machine(host: str) -> bool:
    """Whether an app bound to ``host`` is reachable from this machine alone (a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may name any interface
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(scenario: str, host: str = "127.0.0.1", port: int | None = None, open_browser: bool = False) -> int:
    if importlib.util.find_spec("solara") is None:  # not imported here: the server's process imports it
        raise ScenarioError("summit app", ["the app needs its optional packages: pip install -e '.[app]'"])
    from sim.loader import load

    load(scenario)  # a scenario that does not load is refused here, with its message, not in the page
    port = port or free_port(host)
    address = f"http://{host}:{port}/"
    # no "runs on Solara" banner: it lies over the page's last lines, and in presenter mode over the verdict's
    env = {**os.environ, "SUMMIT_APP_SCENARIO": scenario, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_THEME_SHOW_BANNER": "False", TYPED_PATHS: "1" if only_this_machine(host) else "0"}
    if not only_this_machine(host):
        print(f"summit: warning: the app is open to every machine that can reach {host}:{port}; "
              "it reads no path typed into the page (files are dropped or uploaded)", file=sys.stderr)
    print(f"summit app: {address}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(3.0, webbrowser.open, args=(address,)).start()
    command = [sys.executable, "-m", "solara", "run", str(PAGE), "--host", host, "--port", str(port),
               "--production", "--no-open", "--no-check-version"]
    os.execve(sys.executable, command, env)  # this process becomes the server: a signal to it stops the server
    return 0  # not reached
