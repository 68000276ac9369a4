#!/usr/bin/env python3
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Two HTTP clients confirm one order each, at the same moment, for one
customer whose limit takes only one of them, against a server started with
``--workers=2`` (scripts/run_tests.sh). In every round exactly one order must
be confirmed and the other put on credit hold.

Usage: http_race_check.py URL DB PARTNER_ID PRODUCT_ID [ROUNDS]
Prints one JSON line and exits 1 on any round where both (or none) passed.
"""

import json
import sys
import threading

import requests

LOGIN, PASSWORD = "admin", "race-admin"


class Client:
    def __init__(self, url, db):
        self.url = url
        self.session = requests.Session()
        self.rpc(
            "/web/session/authenticate",
            {"db": db, "login": LOGIN, "password": PASSWORD},
        )

    def rpc(self, route, params):
        response = self.session.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def main():
    url, db, partner_id, product_id = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:5])
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    admin = Client(url, db)
    clients = [Client(url, db), Client(url, db)]
    bad_rounds = []
    confirmed = []
    for round_no in range(rounds):
        if confirmed:
            # Only this round's two orders count against the limit.
            admin.call(
                "sale.order",
                "action_cancel",
                confirmed,
                context={"disable_cancel_warning": True},
            )
        pair = admin.call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": partner_id,
                    "order_line": [
                        [0, 0, {"product_id": product_id, "tax_id": [[5, 0, 0]]}]
                    ],
                }
                for _i in range(2)
            ],
        )
        barrier = threading.Barrier(2, timeout=60)
        errors = []

        def confirm(client, order_id, errors=errors, barrier=barrier):
            barrier.wait()
            try:
                client.call("sale.order", "action_confirm", [order_id])
            except Exception as error:  # reported in the summary
                errors.append(str(error))

        threads = [
            threading.Thread(target=confirm, args=(client, order_id))
            for client, order_id in zip(clients, pair, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        orders = admin.call("sale.order", "read", pair, ["state", "credit_hold"])
        states = sorted(order["state"] for order in orders)
        held = [order["state"] for order in orders if order["credit_hold"]]
        if errors or states != ["draft", "sale"] or held != ["draft"]:
            bad_rounds.append({"round": round_no, "orders": orders, "errors": errors})
        confirmed = [order["id"] for order in orders if order["state"] == "sale"]
    print(
        json.dumps(
            {
                "figure": "http_concurrent_confirmation",
                "rounds": rounds,
                "bad_rounds": bad_rounds,
                "passed": not bad_rounds,
            }
        )
    )
    return 0 if not bad_rounds else 1


if __name__ == "__main__":
    sys.exit(main())
