# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
#
# Run inside "odoo-bin shell" on the test database by scripts/run_tests.sh:
# uninstall the module, then check that Odoo's sales flow still works end to
# end (quotation, confirmation, delivery, invoice) and that nothing of the
# module is left behind.
# ruff: noqa: F821 (env is provided by odoo-bin shell)
module = env["ir.module.module"].search([("name", "=", "sale_process_control")])
module.button_immediate_uninstall()
env.cr.commit()
env.invalidate_all()
env = env(context={})
assert module.state == "uninstalled", module.state
leftover = env["ir.model.data"].search_count([("module", "=", "sale_process_control")])
assert leftover == 0, f"{leftover} records of the module are left"
assert "sale_review_enabled" not in env["res.company"]._fields

partner = env["res.partner"].create({"name": "Uninstall Check Customer"})
product = env["product.product"].create(
    {
        "name": "Uninstall Check Product",
        "type": "consu",
        "is_storable": True,
        "list_price": 100.0,
        "invoice_policy": "delivery",
    }
)
warehouse = env["stock.warehouse"].search(
    [("company_id", "=", env.company.id)], limit=1
)
env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
order = env["sale.order"].create(
    {
        "partner_id": partner.id,
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
    }
)
order.action_confirm()
assert order.state == "sale", order.state
picking = order.picking_ids
assert len(picking) == 1
picking.action_assign()
picking.move_ids.quantity = 3
picking.button_validate()
assert picking.state == "done", picking.state
invoice = order._create_invoices()
invoice.action_post()
assert invoice.state == "posted" and invoice.amount_untaxed == 300.0
env.cr.rollback()
print("UNINSTALL-CHECK-OK")
