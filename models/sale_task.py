# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

TASK_STATES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class SaleTask(models.Model):
    """A sales task assigned to a salesperson for a period (R-41)."""

    _name = "sale.task"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Sales Task"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Task", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    state = fields.Selection(
        TASK_STATES,
        string="Status",
        required=True,
        default="todo",
        tracking=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        check_company=True,
    )
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end >= date_start)",
            "A sales task cannot end before it starts.",
        ),
    ]

    @api.depends_context("tz")
    @api.depends("date_end", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = (
                task.state in ("todo", "in_progress") and task.date_end < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on overdue tasks."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [
                ("state", "in", ("todo", "in_progress")),
                ("date_end", "<", today),
            ]
        return [
            "|",
            ("state", "not in", ("todo", "in_progress")),
            ("date_end", ">=", today),
        ]

    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.write({"state": "todo"})
        return True
