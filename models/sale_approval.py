# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError

from .sale_tools import ensure_one_record

APPROVAL_STEP_STATES = [
    ("waiting", "Waiting"),
    ("pending", "To Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Superseded"),
]


# The amount a reviewer weighs, by the first of these fields the document has.
REVIEWED_AMOUNT_FIELDS = (
    "amount_total",
    "proposed_limit",
    "amount",
    "new_amount",
    "target_amount",
)


class SaleApproval(models.Model):
    """One review step of one submission of a document.

    Steps are written by the review engine only (``sale.approval.mixin``),
    frozen at submission: editing the rules later never moves work in flight.
    """

    _name = "sale.approval"
    _description = "Review Step"
    _order = "res_model, res_id, round desc, stage, sequence, id"
    _rec_name = "name"

    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Document ID",
        model_field="res_model",
        required=True,
        index=True,
    )
    res_name = fields.Char(string="Document", compute="_compute_document_info")
    document_partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_document_info"
    )
    document_amount = fields.Monetary(
        string="Amount",
        compute="_compute_document_info",
        currency_field="document_currency_id",
    )
    document_currency_id = fields.Many2one(
        "res.currency", compute="_compute_document_info"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    round = fields.Integer(
        required=True,
        default=1,
        aggregator=None,
        help="Each submission of the document is a new round; earlier rounds stay "
        "visible.",
    )
    stage = fields.Integer(
        required=True,
        default=0,
        aggregator=None,
        help="Steps of the same stage are reviewed in parallel; a stage starts when "
        "every step of the previous stages is approved.",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    group_id = fields.Many2one(
        "res.groups",
        string="Reviewer Role",
        ondelete="restrict",
        help="Members of this role may decide the step.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        help="When set, this person decides the step (members of the role may "
        "still decide in their absence).",
    )
    checklist = fields.Text(help="What the reviewer checks in this step.")
    requester_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        index=True,
    )
    state = fields.Selection(
        APPROVAL_STEP_STATES,
        required=True,
        default="waiting",
        index=True,
    )
    comment = fields.Text(string="Decision Comment")
    decided_by_id = fields.Many2one("res.users")
    decided_date = fields.Datetime(string="Decided On")
    can_decide = fields.Boolean(
        string="Mine to Review",
        compute="_compute_can_decide",
        search="_search_can_decide",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("res_model", "res_id")
    def _compute_document_info(self):
        """The name, customer and amount of the reviewed document, for the
        reviewer's list; the reviewer may not read every field of it. The
        documents are looked up once per model, not once per step."""
        documents = {}
        for model, steps in self.grouped("res_model").items():
            if not model or model not in self.env:
                continue
            found = self.env[model].sudo().browse(steps.mapped("res_id")).exists()
            documents.update({(model, doc.id): doc for doc in found})
        for step in self:
            document = documents.get((step.res_model, step.res_id))
            step.res_name = document.display_name if document else False
            fields_ = document._fields if document else {}
            partner = document.partner_id if "partner_id" in fields_ else False
            step.document_partner_id = partner and partner.commercial_partner_id
            amount_field = next(
                (
                    name
                    for name in REVIEWED_AMOUNT_FIELDS
                    if name in fields_ and fields_[name].type in ("monetary", "float")
                ),
                None,
            )
            step.document_amount = document[amount_field] if amount_field else 0.0
            currency = document.currency_id if "currency_id" in fields_ else False
            step.document_currency_id = currency or step.company_id.currency_id

    @api.depends_context("uid")
    @api.depends("state", "group_id", "reviewer_id", "requester_id")
    def _compute_can_decide(self):
        user = self.env.user
        for step in self:
            step.can_decide = step._is_decidable_by(user)

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                self.env._("Unsupported search on Mine to Review.")
            )
        user = self.env.user
        domain = [
            ("state", "=", "pending"),
            ("requester_id", "!=", user.id),
            ("company_id", "in", self.env.companies.ids),
            "|",
            "&",
            ("reviewer_id", "=", user.id),
            ("group_id", "=", False),
            ("group_id", "in", user.groups_id.ids),
        ]
        if (operator == "=") == value:
            return domain
        return [("id", "not in", self._search(domain))]

    # ------------------------------------------------------------------
    # CRUD: only the review engine writes steps
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_engine_access()
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_access()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_engine_access()

    def _check_engine_access(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Review steps are kept as a record of the decisions and cannot be "
                    "created, changed or deleted directly. Use the Submit, Approve "
                    "and Reject buttons of the document."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_document(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    def action_decide(self):
        """Open the decision dialog for this step."""
        ensure_one_record(self)
        return self._get_document().action_open_approval_decision()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _get_document(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return False
        return self.env[self.res_model].browse(self.res_id).exists()

    def _is_decidable_by(self, user):
        """Whether ``user`` may decide this step now.

        Nobody decides a step of their own request, whatever roles they hold.
        """
        self.ensure_one()
        if self.state != "pending" or user == self.requester_id:
            return False
        if self.company_id not in user.company_ids:
            return False
        if self.group_id and self.group_id not in user.groups_id:
            # A named reviewer also holds the step's role.
            return False
        return self.reviewer_id == user or bool(self.group_id)

    def _get_reviewers(self):
        """Users who should be asked to decide the step (for activities)."""
        self.ensure_one()
        if self.reviewer_id:
            return self.reviewer_id
        # Group membership is not readable by every reviewer.
        users = self.group_id.sudo().users if self.group_id else self.env["res.users"]
        return users.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u != self.requester_id
            )
        )
