# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Clause fields shared by templates, contracts and amendments, in print order.
CLAUSE_FIELDS = [
    "clause_delivery",
    "clause_payment",
    "clause_quality",
    "clause_acceptance",
    "clause_breach",
    "clause_dispute",
    "clause_other",
]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class SaleContractTemplate(models.Model):
    """Editable clause texts with placeholders such as {customer}, {amount},
    {amount_in_words}, {delivery_date}, {delivery_place}, {payment_term}."""

    _name = "sale.contract.template"
    _description = "Sales Contract Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: available in every company."
    )
    clause_delivery = fields.Text(string="Delivery Terms", translate=True)
    clause_payment = fields.Text(string="Payment Terms Clause", translate=True)
    clause_quality = fields.Text(string="Quality Standard", translate=True)
    clause_acceptance = fields.Text(string="Acceptance", translate=True)
    clause_breach = fields.Text(string="Breach Liability", translate=True)
    clause_dispute = fields.Text(string="Dispute Resolution", translate=True)
    clause_other = fields.Text(string="Other Clauses", translate=True)

    @api.constrains(*CLAUSE_FIELDS)
    def _check_placeholders(self):
        known = set(self.env["sale.contract"]._get_placeholder_names())
        for template in self:
            for name in CLAUSE_FIELDS:
                unknown = set(PLACEHOLDER.findall(template[name] or "")) - known
                if unknown:
                    raise ValidationError(
                        self.env._(
                            "Unknown placeholders in %(template)s: %(names)s. "
                            "Available: %(known)s.",
                            template=template.name,
                            names=", ".join(sorted(unknown)),
                            known=", ".join(sorted(known)),
                        )
                    )
