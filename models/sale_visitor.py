# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Visitor registration (R-40): walk-in and visiting prospects are registered
with their intent level and handed to a salesperson as a CRM lead with a
follow-up activity."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sale_tools import ensure_one_record

INTENT_LEVELS = [
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
]
# Odoo's lead priority (stars) matching each intent level.
INTENT_PRIORITY = {"high": "2", "medium": "1", "low": "0"}


class SaleVisitor(models.Model):
    _name = "sale.visitor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Visitor Registration"
    _order = "visit_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Visitor", required=True, tracking=True)
    partner_name = fields.Char(string="Visitor's Company", tracking=True)
    phone = fields.Char()
    email = fields.Char()
    purpose = fields.Char(string="Purpose of Visit", required=True)
    product_ids = fields.Many2many(
        "product.product",
        string="Products of Interest",
        check_company=True,
    )
    intent_level = fields.Selection(
        INTENT_LEVELS,
        required=True,
        default="medium",
        tracking=True,
    )
    received_by_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Who follows the visitor up; the lead and the follow-up activity are "
        "theirs.",
    )
    visit_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
    )
    followup_date = fields.Date(
        string="Follow-up Date",
        required=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), days=3),
    )
    note = fields.Text(string="Notes")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        readonly=True,
        copy=False,
        check_company=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("registered", "Registered")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )

    @api.constrains("visit_date", "followup_date")
    def _check_followup_date(self):
        for visitor in self:
            if visitor.followup_date < visitor.visit_date:
                raise ValidationError(
                    self.env._(
                        "The follow-up date of %(visitor)s cannot be before the visit.",
                        visitor=visitor.name,
                    )
                )

    @api.constrains("phone", "email")
    def _check_contact(self):
        for visitor in self:
            if not (visitor.phone or visitor.email):
                raise ValidationError(
                    self.env._(
                        "Give a phone number or an email address of %(visitor)s so "
                        "the salesperson can follow up.",
                        visitor=visitor.name,
                    )
                )

    def write(self, vals):
        if not self.env.su and {"state", "lead_id"}.intersection(vals):
            raise UserError(
                self.env._("Register the visitor with the Register button.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_register(self):
        self.check_access("write")
        for visitor in self:
            if visitor.state != "draft":
                raise UserError(
                    self.env._(
                        "%(visitor)s is already registered.", visitor=visitor.name
                    )
                )
        for visitor in self:
            # Reception hands the lead to the salesperson, whose own lead it is:
            # a receptionist may not create leads owned by someone else.
            lead = self.env["crm.lead"].sudo().create(visitor._prepare_lead_vals())
            lead.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=visitor.followup_date,
                summary=self.env._(
                    "Follow up visitor %(visitor)s", visitor=visitor.name
                ),
                note=visitor.purpose,
                user_id=visitor.user_id.id,
            )
            visitor.sudo().write({"lead_id": lead.id, "state": "registered"})
        # Reception may not read the salesperson's lead: it stays on the form.
        if len(self) == 1 and self.lead_id.has_access("read"):
            return self.action_view_lead()
        return True

    def action_view_lead(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_lead_type(self):
        """A lead when the company works with leads (CRM setting), else an
        opportunity straight away."""
        return "lead" if self.user_id.has_group("crm.group_use_lead") else "opportunity"

    def _prepare_lead_vals(self):
        self.ensure_one()
        lines = [
            self.env._("Purpose: %(purpose)s", purpose=self.purpose),
            self.env._(
                "Visited on %(date)s, received by %(user)s.",
                date=self.visit_date,
                user=self.received_by_id.name,
            ),
        ]
        if self.product_ids:
            lines.append(
                self.env._(
                    "Products of interest: %(products)s",
                    products=", ".join(self.product_ids.mapped("display_name")),
                )
            )
        if self.note:
            lines.append(self.note)
        return {
            "name": self.env._(
                "Visitor: %(visitor)s", visitor=self.partner_name or self.name
            ),
            "type": self._get_lead_type(),
            "contact_name": self.name,
            "partner_name": self.partner_name,
            "phone": self.phone,
            "email_from": self.email,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "intent_level": self.intent_level,
            "priority": INTENT_PRIORITY[self.intent_level],
            "description": "<br/>".join(lines),
        }
