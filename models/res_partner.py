# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .sale_tools import ensure_one_record

FILE_STATES = [
    ("draft", "Being Completed"),
    ("submitted", "Submitted"),
    ("verified", "Verified"),
]
# Fields of the customer file whose change after verification needs a new check.
FILE_KEY_FIELDS = {
    "name",
    "legal_representative",
    "street",
    "street2",
    "city",
    "state_id",
    "country_id",
    "vat",
    "phone",
    "email",
    "need_function",
    "need_quality",
    "need_price",
    "need_service",
}
# The module's own fields of the customer file: only its keepers change them
# (``_check_customer_file_keeper``); Odoo's address and contact fields stay as
# open as Odoo makes them.
FILE_OWN_FIELDS = {
    "legal_representative",
    "is_decision_maker",
    "need_function",
    "need_quality",
    "need_price",
    "need_service",
    "potential_score",
}

# What the customer file says about the customer: read by its keepers only
# (the salesperson, the heads of their teams, directors and supervision).
FILE_PRIVATE_FIELDS = FILE_OWN_FIELDS


def _domain_fields(domain):
    """First field names of the leaves of ``domain``."""
    names = set()
    for leaf in domain or ():
        if isinstance(leaf, (list, tuple)) and len(leaf) == 3:
            if isinstance(leaf[0], str):
                names.add(leaf[0].split(".", 1)[0])
    return names


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Tier (per company: a customer can be A for one company, C for another)
    # ------------------------------------------------------------------
    customer_tier_id = fields.Many2one(
        "sale.customer.tier",
        company_dependent=True,
        tracking=True,
        help="The tier of the customer company in the current company. Contacts "
        "show the tier of their company.",
    )
    partner_tier_id = fields.Many2one(
        "sale.customer.tier",
        string="Tier",
        related="commercial_partner_id.customer_tier_id",
    )
    is_key_account = fields.Boolean(
        string="Key Account",
        related="commercial_partner_id.customer_tier_id.is_key_account",
    )
    potential_score = fields.Integer(
        default=3,
        tracking=True,
        help="The salesperson's estimate of the customer's potential, from 1 (low) "
        "to 5 (high); used by the quarterly tier evaluation.",
    )
    tier_history_ids = fields.One2many(
        "sale.customer.tier.history",
        "partner_id",
    )
    # ------------------------------------------------------------------
    # Customer file (客户档案)
    # ------------------------------------------------------------------
    legal_representative = fields.Char(
        tracking=True,
        help="法定代表人 of the customer company.",
    )
    is_decision_maker = fields.Boolean(
        string="Decision Maker",
        help="This contact takes or influences purchase decisions.",
    )
    need_function = fields.Text(string="Function Requirements")
    need_quality = fields.Text(string="Quality Expectations")
    need_price = fields.Text(string="Price Expectations")
    need_service = fields.Text(string="Service Expectations")
    file_state = fields.Selection(
        FILE_STATES,
        string="File Status",
        default="draft",
        required=True,
        copy=False,
        tracking=True,
    )
    file_verified_by_id = fields.Many2one(
        "res.users",
        string="Verified By",
        copy=False,
        readonly=True,
    )
    file_verified_date = fields.Datetime(
        string="Verified On", copy=False, readonly=True
    )
    file_completeness = fields.Integer(
        string="File Completeness (%)",
        compute="_compute_file_completeness",
    )
    file_missing = fields.Char(
        string="Missing From the File",
        compute="_compute_file_completeness",
    )

    @api.constrains("potential_score")
    def _check_potential_score(self):
        for partner in self:
            if not 1 <= partner.potential_score <= 5:
                raise ValidationError(
                    self.env._("The potential score is a whole number from 1 to 5.")
                )

    @api.depends_context("company")
    @api.depends(
        "legal_representative",
        "street",
        "city",
        "phone",
        "email",
        "vat",
        "child_ids.function",
        "child_ids.is_decision_maker",
        "need_function",
        "need_quality",
        "need_price",
        "need_service",
    )
    def _compute_file_completeness(self):
        # The item set-up names technical fields, which users may not read.
        items = (
            self.env["sale.customer.file.item"]
            .sudo()
            .search([("company_id", "in", (False, self.env.company.id))])
        )
        for partner in self:
            if not items:
                partner.file_completeness = 100
                partner.file_missing = False
                continue
            missing = items.filtered(lambda item: not item._is_filled(partner))
            partner.file_completeness = round(
                100 * (len(items) - len(missing)) / len(items)
            )
            partner.file_missing = ", ".join(missing.mapped("name")) or False

    # ------------------------------------------------------------------
    # Who reads the customer file
    # ------------------------------------------------------------------
    @api.model
    def _get_file_kept_domain(self):
        """The customers whose file the user reads, or None for all."""
        user = self.env.user
        if (
            self.env.su
            or user.has_group("sale_process_control.group_sale_director")
            or user.has_group("sale_process_control.group_sale_supervision")
        ):
            return None
        domain = [
            "|",
            ("commercial_partner_id.user_id", "=", False),
            ("commercial_partner_id.user_id", "=", user.id),
        ]
        if user.has_group("sale_process_control.group_sale_department_head"):
            domain = expression.OR(
                [
                    domain,
                    [
                        (
                            "commercial_partner_id.user_id.crm_team_ids.user_id",
                            "=",
                            user.id,
                        )
                    ],
                ]
            )
        return domain

    def _get_file_hidden(self):
        """The partners of ``self`` whose file the user may not read."""
        kept = self._get_file_kept_domain()
        if kept is None or not self.ids:
            return self.browse()
        readable = self.sudo().search(expression.AND([[("id", "in", self.ids)], kept]))
        return self - readable.sudo(False)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        private = FILE_PRIVATE_FIELDS.intersection(fnames)
        if private and result:
            hidden = set(
                self.browse([vals["id"] for vals in result])._get_file_hidden().ids
            )
            for vals in result:
                if vals["id"] in hidden:
                    vals.update(dict.fromkeys(private, False))
        return result

    def export_data(self, fields_to_export):
        names = {path.split("/", 1)[0].split(".", 1)[0] for path in fields_to_export}
        if FILE_PRIVATE_FIELDS & names and self._get_file_hidden():
            raise AccessError(
                self.env._(
                    "The customer file (legal representative, needs, potential) of "
                    "other salespeople's customers is not exported; export your own "
                    "customers or leave those columns out."
                )
            )
        return super().export_data(fields_to_export)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Filtering on the customer file finds only the customers whose file
        # the user reads: the filter does not tell what other files say.
        if FILE_PRIVATE_FIELDS & _domain_fields(domain):
            kept = self._get_file_kept_domain()
            if kept is not None:
                domain = expression.AND([domain, kept])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        used = {
            spec.split(":", 1)[0].split(".", 1)[0] for spec in (*groupby, *aggregates)
        }
        if FILE_PRIVATE_FIELDS & used:
            kept = self._get_file_kept_domain()
            if kept is not None:
                domain = expression.AND([domain, kept])
        return super()._read_group(
            domain,
            groupby,
            aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    # ------------------------------------------------------------------
    # Ownership: the salesperson of a customer
    # ------------------------------------------------------------------
    def _check_owner_change(self, vals):
        """Once a customer has a salesperson, only a sales director or the head
        of the salesperson's team hands it to someone else, when the company
        switched the control on; the change is logged on the customer."""
        if "user_id" not in vals or self.env.su:
            return self.browse()
        new_owner = vals["user_id"] or False
        changed = self.filtered(lambda p: p.user_id.id != new_owner)
        if not changed or not self.env.company.sale_customer_ownership_control:
            return changed
        user = self.env.user
        if user.has_group("sale_process_control.group_sale_director"):
            return changed
        is_head = user.has_group("sale_process_control.group_sale_department_head")
        for partner in changed:
            owner = partner.user_id
            if not owner:
                if is_head or new_owner == user.id:
                    continue
            elif is_head and (
                owner == user or user in owner.sudo().crm_team_ids.user_id
            ):
                continue
            raise AccessError(
                self.env._(
                    "%(customer)s is a customer of %(salesperson)s: only the head of "
                    "their team or a sales director gives it another salesperson. "
                    "Ask them to change it.",
                    customer=partner.display_name,
                    salesperson=owner.display_name or self.env._("nobody"),
                )
            )
        return changed

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("file_state", "draft") != "draft"
            or vals.get("file_verified_by_id")
            for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "A new customer file starts as being completed; verify it later."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        protected = {"file_state", "file_verified_by_id", "file_verified_date"}
        if not self.env.su and protected & set(vals):
            raise UserError(
                self.env._(
                    "The customer file status changes through its Submit and Verify "
                    "buttons only."
                )
            )
        if FILE_OWN_FIELDS & set(vals):
            self._check_customer_file_keeper()
        owner_changed = self._check_owner_change(vals)
        previous_owners = {partner: partner.user_id for partner in owner_changed}
        to_reopen = self.env["res.partner"]
        if FILE_KEY_FIELDS & set(vals):
            to_reopen = self.filtered(lambda p: p.file_state == "verified")
        result = super().write(vals)
        if to_reopen:
            to_reopen._reopen_file(set(vals) & FILE_KEY_FIELDS)
        for partner, previous in previous_owners.items():
            partner.message_post(
                body=self.env._(
                    "Salesperson changed from %(old)s to %(new)s by %(user)s.",
                    old=previous.display_name or self.env._("nobody"),
                    new=partner.user_id.display_name or self.env._("nobody"),
                    user=self.env.user.display_name,
                )
            )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_file_contacts(self):
        """The customer's contact people, where the file's decision makers
        are marked."""
        ensure_one_record(self)
        commercial = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contacts of %(customer)s", customer=commercial.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "sale_process_control.view_partner_file_contacts_list"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("parent_id", "=", commercial.id), ("type", "=", "contact")],
            "context": {"default_parent_id": commercial.id, "default_type": "contact"},
        }

    def action_submit_file(self):
        """The salesperson submits the customer file for verification."""
        self.check_access("write")
        self._check_customer_file_keeper()
        for partner in self:
            if partner.file_state != "draft":
                raise UserError(
                    self.env._(
                        "The file of %(customer)s is already submitted or verified.",
                        customer=partner.display_name,
                    )
                )
            if partner.file_missing:
                raise UserError(
                    self.env._(
                        "Complete the file of %(customer)s before submitting it: "
                        "%(missing)s.",
                        customer=partner.display_name,
                        missing=partner.file_missing,
                    )
                )
        # The status is guarded against direct writes; this button is its way.
        self.sudo().write({"file_state": "submitted"})
        for partner in self:
            partner.message_post(
                body=self.env._("Customer file submitted for verification.")
            )
        return True

    def action_verify_file(self):
        """The department head verifies a submitted customer file."""
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise UserError(
                self.env._("Only a department head verifies customer files.")
            )
        self._check_customer_file_keeper()
        for partner in self:
            if partner.file_state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted files are verified; the file of %(customer)s "
                        "is not submitted.",
                        customer=partner.display_name,
                    )
                )
            if partner.user_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You are the salesperson of %(customer)s: another department "
                        "head verifies the file.",
                        customer=partner.display_name,
                    )
                )
        self.sudo().write(
            {
                "file_state": "verified",
                "file_verified_by_id": self.env.user.id,
                "file_verified_date": fields.Datetime.now(),
            }
        )
        for partner in self:
            partner.message_post(body=self.env._("Customer file verified."))
        return True

    def action_return_file(self):
        """The department head sends a submitted file back for completion."""
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise UserError(
                self.env._("Only a department head returns customer files.")
            )
        self._check_customer_file_keeper()
        self.filtered(lambda p: p.file_state == "submitted").sudo().write(
            {"file_state": "draft"}
        )
        return True

    def _check_customer_file_keeper(self):
        """The file of a customer is kept by its salesperson, the department
        heads of the teams that salesperson belongs to, and the sales
        directors; a customer without salesperson by every salesperson."""
        user = self.env.user
        if self.env.su or user.has_group("sale_process_control.group_sale_director"):
            return
        is_head = user.has_group("sale_process_control.group_sale_department_head")
        for partner in self:
            owner = partner.commercial_partner_id.user_id
            if not owner or owner == user:
                continue
            if is_head and user in owner.sudo().crm_team_ids.user_id:
                continue
            raise AccessError(
                self.env._(
                    "The file of %(customer)s is kept by %(salesperson)s, the head "
                    "of their team and the sales directors; ask one of them to "
                    "change it.",
                    customer=partner.commercial_partner_id.display_name,
                    salesperson=owner.display_name,
                )
            )

    def _reopen_file(self, changed):
        labels = ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"]
                for name in changed
            )
        )
        self.sudo().write(
            {
                "file_state": "draft",
                "file_verified_by_id": False,
                "file_verified_date": False,
            }
        )
        for partner in self:
            partner.message_post(
                body=self.env._(
                    "Key information changed after verification (%(fields)s): the file "
                    "must be submitted and verified again.",
                    fields=labels,
                )
            )
