# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Benchmark harness of sale_process_control (run through scripts/bench.py).

- odoo_env: paths, odoo-bin runs, databases, an in-process ORM environment;
- plan: the deterministic history (customers, orders, dates, payments);
- copyrows: row templates read from ORM records, COPY text serialisation;
- generator: ORM set-up and templates, then the bulk history written by COPY;
- collect: the rows one sales order leaves in every table it touches;
- verify: the ORM reads the generated history back consistently;
- figures: the registry of measured figures, one JSON line each.
"""
