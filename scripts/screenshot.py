# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Screenshot Odoo screens as a given user, in headless Chromium.

Logs in over JSON-RPC, hands the session cookie to Chromium through the
DevTools protocol, opens each URL and saves a PNG. For looking at screens and
for the README; not part of the test suite.

Usage:
  python scripts/screenshot.py --db spc_demo --login head --password head \
      "/odoo/action-sale_process_control.settings_action=settings.png"
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
from urllib.parse import urlparse

import requests
import websocket


def _authenticate(base, db, login, password):
    session = requests.Session()
    response = session.post(
        f"{base}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login, "password": password},
        },
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"login failed: {response.json()['error']['data']['message']}")
    return session.cookies["session_id"]


class DevTools:
    def __init__(self, port):
        for _attempt in range(50):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=2
                ).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        else:
            raise SystemExit("Chromium did not open its DevTools port")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.counter = 0

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(
            json.dumps({"id": self.counter, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise SystemExit(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shots", nargs="+", help="PATH=OUTPUT.png pairs")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default=None)
    parser.add_argument(
        "--lang", default=None, help="e.g. zh_CN, switched for the user"
    )
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=4.0)
    args = parser.parse_args()

    cookie = _authenticate(args.base, args.db, args.login, args.password or args.login)
    port = 9333
    profile = tempfile.mkdtemp(prefix="spc-shot-")
    chrome = shutil.which("chromium") or shutil.which("google-chrome")
    process = subprocess.Popen(
        [
            chrome,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            f"--window-size={args.width},{args.height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        tools = DevTools(port)
        tools.call("Network.enable")
        tools.call(
            "Network.setCookie",
            name="session_id",
            value=cookie,
            domain=urlparse(args.base).hostname,
            path="/",
        )
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        for shot in args.shots:
            path, _sep, output = shot.rpartition("=")
            tools.call("Page.enable")
            tools.call("Page.navigate", url=f"{args.base}{path}")
            deadline = time.time() + 60
            while time.time() < deadline:
                ready = tools.evaluate(
                    "document.readyState === 'complete' && "
                    "!document.querySelector('.o_loading_indicator, .o_blockUI')"
                )
                if ready:
                    break
                time.sleep(0.3)
            time.sleep(args.wait)
            data = tools.call("Page.captureScreenshot", format="png")["data"]
            with open(output, "wb") as handle:
                handle.write(base64.b64decode(data))
            print(output)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
