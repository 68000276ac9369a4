# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Every row one confirmed, delivered, invoiced (and paid) sales order leaves.

The generator reads its row templates this way from orders the ORM made, and
verify.py compares a generated order with its ORM-made twin the same way.
"""

from .copyrows import read_rows

# (table, key columns) of the relation tables, in the order they are read.
RELATIONS = {
    "account_tax_sale_order_line_rel": ("sale_order_line_id", "account_tax_id"),
    "sale_order_line_invoice_rel": ("order_line_id", "invoice_line_id"),
    "account_move_line_account_tax_rel": ("account_move_line_id", "account_tax_id"),
    "account_move__account_payment": ("invoice_id", "payment_id"),
}


def _ids(rows, column="id"):
    return sorted({int(row[column]) for row in rows if row[column] != "\\N"})


def collect_order(cr, order_id):
    """table -> rows (dicts of COPY texts, ordered by id) of one sales order."""
    rows = {}

    def read(table, column, ids, order="id"):
        rows[table] = read_rows(cr, table, f"{column} = ANY(%s)", [list(ids)], order)
        return rows[table]

    def read_relation(table, column, ids):
        key = RELATIONS[table]
        return read(table, column, ids, order=", ".join(key))

    read("sale_order", "id", [order_id])
    lines = _ids(read("sale_order_line", "order_id", [order_id]))
    read_relation("account_tax_sale_order_line_rel", "sale_order_line_id", lines)
    read("procurement_group", "sale_id", [order_id])
    pickings = _ids(read("stock_picking", "sale_id", [order_id]))
    moves = _ids(read("stock_move", "picking_id", pickings))
    read("stock_move_line", "move_id", moves)
    read("stock_valuation_layer", "stock_move_id", moves)
    invoice_lines = read_relation("sale_order_line_invoice_rel", "order_line_id", lines)
    cr.execute(
        "SELECT DISTINCT move_id FROM account_move_line WHERE id = ANY(%s)",
        [_ids(invoice_lines, "invoice_line_id")],
    )
    invoices = sorted(row[0] for row in cr.fetchall())
    read("account_move", "id", invoices)
    invoice_amls = _ids(read("account_move_line", "move_id", invoices))
    read_relation(
        "account_move_line_account_tax_rel", "account_move_line_id", invoice_amls
    )
    payment_links = read_relation(
        "account_move__account_payment", "invoice_id", invoices
    )
    payments = read("account_payment", "id", _ids(payment_links, "payment_id"))
    payment_moves = _ids(payments, "move_id")
    rows["account_move"] += read_rows(
        cr, "account_move", "id = ANY(%s)", [payment_moves]
    )
    rows["account_move_line"] += read_rows(
        cr, "account_move_line", "move_id = ANY(%s)", [payment_moves]
    )
    partials = read("account_partial_reconcile", "debit_move_id", invoice_amls)
    read("account_full_reconcile", "id", _ids(partials, "full_reconcile_id"))
    return rows
