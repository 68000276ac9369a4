# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

FILE_ITEM_CHECKS = [
    ("field", "Field is filled"),
    ("contact_position", "Every contact has a position"),
    ("decision_contact", "At least one decision maker"),
]


class SaleCustomerFileItem(models.Model):
    """A required item of the customer file (R-04): the completeness score is
    the share of these items that are filled."""

    _name = "sale.customer.file.item"
    _description = "Customer File Required Item"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to require the item in every company.",
    )
    check = fields.Selection(FILE_ITEM_CHECKS, required=True, default="field")
    field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('model', '=', 'res.partner'), ('store', '=', True), "
        "('ttype', 'not in', ('one2many', 'many2many', 'binary'))]",
    )

    @api.constrains("check", "field_id")
    def _check_field(self):
        for item in self:
            if item.check == "field" and not item.field_id:
                raise ValidationError(
                    self.env._(
                        "Choose the customer field that item %(item)s requires.",
                        item=item.name,
                    )
                )

    def _is_filled(self, partner):
        """Whether ``partner``'s file satisfies this item."""
        self.ensure_one()
        contacts = partner.child_ids.filtered(
            lambda c: c.type == "contact" and c.active
        )
        if self.check == "contact_position":
            return bool(contacts) and all(contacts.mapped("function"))
        if self.check == "decision_contact":
            return any(contacts.mapped("is_decision_maker"))
        value = partner[self.field_id.name]
        return bool(value.strip()) if isinstance(value, str) else bool(value)
