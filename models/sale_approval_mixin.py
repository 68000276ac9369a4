# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import json

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import hmac

from .sale_decision_guard import (
    decision_action,
    decision_allowed,
    strip_engine_defaults,
)
from .sale_tools import company_lang, ensure_one_record, read_all_related

APPROVAL_STATES = [
    ("none", "Not Submitted"),
    ("pending", "Under Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# Fields only the review engine may write (it writes them as superuser).
APPROVAL_ENGINE_FIELDS = {
    "approval_ids",
    "approval_state",
    "approval_round",
    "approval_requester_id",
    "approval_fingerprint",
    "approval_date",
}
# Scope of the keyed fingerprint (HMAC with the database secret): a client who
# reads every value of a document still cannot compute it.
FINGERPRINT_SCOPE = "sale_process_control.approval"


class SaleApprovalMixin(models.AbstractModel):
    """The review engine, shared by every document that needs approval.

    A document inheriting this mixin (and ``mail.thread`` /
    ``mail.activity.mixin``) implements:

    - ``_get_approval_steps()``: the steps this document needs now;
    - ``_get_approval_fingerprint_values()``: what a review approves (amount,
      lines, partner...); a change of it after submission resets the review;
    - optionally ``_check_approval_submittable()``, ``_get_approval_owners()``
      and the hooks ``_on_approval_approved()``, ``_on_approval_rejected()``,
      ``_on_approval_reset()``.
    """

    _name = "sale.approval.mixin"
    _description = "Reviewable Document"

    approval_ids = fields.One2many(
        "sale.approval",
        "res_id",
        string="Review Steps",
        domain=lambda self: [("res_model", "=", self._name)],
        copy=False,
    )
    approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Review Status",
        required=True,
        default="none",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
    )
    approval_round = fields.Integer(string="Review Round", copy=False, readonly=True)
    approval_requester_id = fields.Many2one(
        "res.users",
        string="Submitted By",
        copy=False,
        readonly=True,
    )
    approval_date = fields.Datetime(string="Approved On", copy=False, readonly=True)
    approval_fingerprint = fields.Char(copy=False, readonly=True)
    approval_can_decide = fields.Boolean(
        string="Can Review",
        compute="_compute_approval_can_decide",
    )
    approval_waiting_for = fields.Char(
        string="Waiting For",
        compute="_compute_approval_waiting_for",
    )

    @api.depends_context("uid")
    @api.depends("approval_ids.state")
    def _compute_approval_can_decide(self):
        user = self.env.user
        for document in self:
            document.approval_can_decide = (
                user not in document._get_approval_owners()
                and any(
                    step._is_decidable_by(user) for step in document._get_open_steps()
                )
            )

    @api.depends("approval_ids.state", "approval_ids.name")
    def _compute_approval_waiting_for(self):
        for document in self:
            pending = document._get_open_steps().filtered(
                lambda s: s.state == "pending"
            )
            document.approval_waiting_for = ", ".join(pending.mapped("name")) or False

    # ------------------------------------------------------------------
    # CRUD: the engine's fields are written by the engine only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        model = self
        if not self.env.su:
            for vals in vals_list:
                self._check_engine_fields(vals)
            # The whole context, less the engine fields' default_ keys: keys
            # are removed, which kwargs cannot do.
            model = self.with_context(  # pylint: disable=context-overridden
                strip_engine_defaults(self.env, self._get_engine_fields())
            )
        return super(SaleApprovalMixin, model).create(vals_list)

    def write(self, vals):
        self._check_engine_fields(vals)
        result = super().write(vals)
        self._approval_check_changes()
        return result

    def _get_engine_fields(self):
        """Names of the fields that record a decision: only the code that makes
        the decision writes them (as superuser), never ``create``, ``write`` or
        ``load`` from outside. Documents extend the set with their own."""
        return set(APPROVAL_ENGINE_FIELDS)

    def _get_engine_field_error(self, names):
        """The message that refuses a client's value for the engine fields
        ``names``; documents name their own fields."""
        return self.env._(
            "The review status is set by the reviewers' decisions only. Submit "
            "the document for review instead of changing its status."
        )

    def _check_engine_fields(self, vals):
        if decision_allowed(self.env):
            return
        names = self._get_engine_fields().intersection(vals)
        if names:
            raise AccessError(self._get_engine_field_error(names))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_submit_for_approval(self):
        """Submit the documents for review: freeze the steps of a new round."""
        self.check_access("write")
        for document in self:
            if document.approval_state == "pending":
                raise UserError(
                    self.env._(
                        "%(document)s is already under review.",
                        document=document.display_name,
                    )
                )
            document._check_approval_submittable()
        for document in self:
            document._approval_start_round()
        return True

    def action_open_approval_decision(self):
        """Open the dialog in which a reviewer approves or rejects."""
        ensure_one_record(self)
        if not self.approval_can_decide:
            raise UserError(self._get_approval_no_step_message())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review %(document)s", document=self.display_name),
            "res_model": "sale.approval.decide",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
            },
        }

    def action_approve(self, comment=None):
        """Approve the current user's pending steps of this document."""
        ensure_one_record(self)
        return self._approval_decide("approved", comment)

    def action_reject(self, comment=None):
        """Reject: the document returns to its author with the comment."""
        ensure_one_record(self)
        return self._approval_decide("rejected", comment)

    def action_view_approvals(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review History"),
            "res_model": "sale.approval",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {"group_by": ["round"], "create": False},
        }

    # ------------------------------------------------------------------
    # Hooks for the documents
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        """Return the steps this document needs, as a list of dicts with the keys
        ``name``, ``group_id`` and optionally ``reviewer_id``, ``stage``,
        ``sequence`` and ``checklist``. Steps of one stage are reviewed in
        parallel; a stage opens once every step of the earlier stages is
        approved."""
        self.ensure_one()
        return []

    def _get_approval_fingerprint_values(self):
        """Return the JSON-serialisable values a review approves."""
        self.ensure_one()
        return {}

    def _get_approval_company(self):
        self.ensure_one()
        return self.company_id if "company_id" in self._fields else self.env.company

    def _get_approval_owners(self):
        """Users who may never decide a step of this document: its requester,
        and for documents that have one, their owner."""
        self.ensure_one()
        return self.approval_requester_id

    def _check_approval_submittable(self):
        """Raise a UserError that says what is missing before submission."""
        self.ensure_one()

    def _on_approval_approved(self):
        """Called once every step of the round is approved."""

    def _on_approval_rejected(self):
        """Called when a reviewer rejects the document."""

    def _on_approval_reset(self):
        """Called when a change that matters voids the review in progress."""

    def _get_approval_no_step_message(self):
        self.ensure_one()
        return self.env._(
            "You have no review step to decide on %(document)s: it is not waiting for "
            "your role, or you submitted it yourself.",
            document=self.display_name,
        )

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    def _get_all_steps(self):
        """Every step of the document, whatever the reader may see: the engine
        decides on the whole round, never on the part a reviewer can read."""
        self.ensure_one()
        return read_all_related(self, "approval_ids")

    def _get_open_steps(self):
        """Steps of the current round that are still undecided."""
        self.ensure_one()
        return self._get_all_steps().filtered(
            lambda s: (
                s.round == self.approval_round and s.state in ("waiting", "pending")
            )
        )

    def _get_current_steps(self):
        self.ensure_one()
        return self._get_all_steps().filtered(lambda s: s.round == self.approval_round)

    def _compute_approval_fingerprint(self):
        """What the review approved, keyed with the database secret."""
        self.ensure_one()
        payload = json.dumps(
            {
                "document": [self._name, self.id],
                "values": self._get_approval_fingerprint_values(),
            },
            sort_keys=True,
            default=str,
        )
        return hmac(self.env(su=True), FINGERPRINT_SCOPE, payload)

    def _approval_is_valid(self):
        """Approved, and nothing that matters changed since submission."""
        self.ensure_one()
        return (
            self.approval_state == "approved"
            and self.approval_fingerprint == self._compute_approval_fingerprint()
        )

    def _approval_start_round(self):
        self.ensure_one()
        requester = self.env.user
        # Step names and checklists are read by every reviewer: they are
        # written in the company's language, not in the submitter's.
        steps = self.with_context(
            lang=company_lang(self._get_approval_company())
        )._get_approval_steps()
        # The engine owns the steps and the status; the submitter may not write them.
        document = self.sudo()
        document._get_open_steps().write({"state": "cancelled"})
        new_round = self.approval_round + 1
        values = {
            "approval_round": new_round,
            "approval_requester_id": requester.id,
            "approval_fingerprint": self._compute_approval_fingerprint(),
            "approval_date": False,
        }
        if not steps:
            values.update(
                approval_state="approved", approval_date=fields.Datetime.now()
            )
            document.write(values)
            self._approval_post(self.env._("Submitted: no review is required."))
            self._on_approval_approved()
            return
        values["approval_state"] = "pending"
        document.write(values)
        first_stage = min(step.get("stage", 0) for step in steps)
        step_vals = [
            {
                "res_model": self._name,
                "res_id": self.id,
                "company_id": self._get_approval_company().id,
                "round": new_round,
                "stage": step.get("stage", 0),
                "sequence": step.get("sequence", 10),
                "name": step["name"],
                "group_id": step.get("group_id"),
                "reviewer_id": self._approval_step_reviewer(step),
                "checklist": step.get("checklist"),
                "requester_id": requester.id,
                "state": "pending"
                if step.get("stage", 0) == first_stage
                else "waiting",
            }
            for step in sorted(
                steps, key=lambda s: (s.get("stage", 0), s.get("sequence", 10))
            )
        ]
        self.env["sale.approval"].sudo().create(step_vals)
        self.invalidate_recordset(["approval_ids"])
        self._approval_post(
            self.env._(
                "Submitted for review (round %(round)s): %(steps)s.",
                round=new_round,
                steps=", ".join(v["name"] for v in step_vals),
            )
        )
        self._approval_sync_activities()

    @api.model
    def _approval_step_reviewer(self, step):
        """The person named for ``step``, if they hold the step's role: the
        leader of a team the requester picks decides a head step only as a
        department head; otherwise any holder of the role decides it."""
        reviewer = self.env["res.users"].browse(step.get("reviewer_id") or [])
        group = self.env["res.groups"].browse(step.get("group_id") or [])
        if reviewer and group and group not in reviewer.sudo().groups_id:
            return False
        return reviewer.id or False

    @decision_action
    def _approval_decide(self, decision, comment):
        self.ensure_one()
        user = self.env.user
        if user in self._get_approval_owners():
            raise AccessError(self._get_approval_no_step_message())
        steps = self._get_open_steps().filtered(lambda s: s._is_decidable_by(user))
        if not steps:
            raise UserError(self._get_approval_no_step_message())
        if comment and not isinstance(comment, str):
            raise UserError(self.env._("The review comment must be text."))
        comment = (comment or "").strip()
        if decision == "rejected" and not comment:
            raise UserError(
                self.env._(
                    "Say why you reject %(document)s: the comment goes back to its "
                    "author.",
                    document=self.display_name,
                )
            )
        steps.sudo().write(
            {
                "state": decision,
                "comment": comment or False,
                "decided_by_id": user.id,
                "decided_date": fields.Datetime.now(),
            }
        )
        step_names = ", ".join(steps.mapped("name"))
        if decision == "rejected":
            self._approval_post(
                self.env._(
                    "Rejected (%(steps)s): %(comment)s",
                    steps=step_names,
                    comment=comment,
                )
            )
            self._get_open_steps().sudo().write({"state": "cancelled"})
            self.sudo().write({"approval_state": "rejected"})
            self._approval_sync_activities()
            self._approval_notify_requester(comment)
            self._on_approval_rejected()
            return True
        message = self.env._("Approved (%(steps)s).", steps=step_names)
        if comment:
            message = self.env._(
                "Approved (%(steps)s): %(comment)s", steps=step_names, comment=comment
            )
        self._approval_post(message)
        self._approval_advance()
        return True

    def _approval_advance(self):
        """Open the next stage, or finish the round when every step is approved."""
        self.ensure_one()
        open_steps = self._get_open_steps()
        if not open_steps:
            self.sudo().write(
                {"approval_state": "approved", "approval_date": fields.Datetime.now()}
            )
            self._approval_post(self.env._("Review completed: approved."))
            self._approval_sync_activities()
            self._on_approval_approved()
            return
        if not open_steps.filtered(lambda s: s.state == "pending"):
            next_stage = min(open_steps.mapped("stage"))
            open_steps.filtered(lambda s: s.stage == next_stage).sudo().write(
                {"state": "pending"}
            )
        self._approval_sync_activities()

    @decision_action
    def _approval_reset(self, reason):
        """Void the review in progress or the approval given."""
        for document in self:
            document._get_open_steps().sudo().write({"state": "cancelled"})
            document.sudo().write({"approval_state": "none", "approval_date": False})
            document._approval_post(
                self.env._("Review reset: %(reason)s Submit it again.", reason=reason)
            )
            document._approval_sync_activities()
            document._on_approval_reset()

    def _approval_check_changes(self):
        """Reset the review of documents whose approved content changed."""
        under_review = self.filtered(
            lambda d: d.approval_state in ("pending", "approved")
        )
        for document in under_review:
            if (
                document.approval_fingerprint
                != document._compute_approval_fingerprint()
            ):
                document._approval_reset(
                    self.env._(
                        "%(document)s changed after it was submitted.",
                        document=document.display_name,
                    )
                )

    def _approval_post(self, body):
        self.ensure_one()
        if hasattr(self, "message_post"):
            # Reviewers may lack write access to the document; they may still
            # leave their decision in its chatter.
            self.sudo().message_post(
                body=Markup("<p>%s</p>") % escape(body),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )

    def _approval_notify_requester(self, comment):
        self.ensure_one()
        if not hasattr(self, "activity_schedule") or not self.approval_requester_id:
            return
        # The author must act on the rejection even if the reviewer cannot write.
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Review rejected: correct and resubmit"),
            note=comment,
            user_id=self.approval_requester_id.id,
        )

    def _approval_sync_activities(self):
        """One review activity per reviewer of each pending step, and no other."""
        if not hasattr(self, "activity_ids"):
            return
        activity_type = self.env.ref(
            "sale_process_control.mail_activity_type_review", raise_if_not_found=False
        )
        if not activity_type:
            return
        for document in self:
            pending = document._get_open_steps().filtered(
                lambda s: s.state == "pending"
            )
            wanted = {}
            for step in pending:
                for reviewer in step._get_reviewers():
                    wanted.setdefault(reviewer, []).append(step.name)
            # Activities are the engine's bookkeeping: reviewers may not write the
            # document, and stale ones of others must go.
            existing = read_all_related(document, "activity_ids").filtered(
                lambda a: a.activity_type_id == activity_type
            )
            existing.filtered(lambda a: a.user_id not in wanted).unlink()
            have = existing.exists().mapped("user_id")
            text_env = document.with_context(
                lang=company_lang(document._get_approval_company())
            ).env
            for reviewer, names in wanted.items():
                if reviewer in have:
                    continue
                document.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=text_env._("Review: %(steps)s", steps=", ".join(names)),
                    user_id=reviewer.id,
                )


class SaleApprovalRequestMixin(models.AbstractModel):
    """A request reviewed by the engine that carries a status of its own
    (``state``: draft, review, rejected, cancel and its decided states) and a
    requester (``user_id``): plan corrections, target adjustments, credit limit
    requests, price changes, sales plans and contract amendments.

    The requester never decides a step of it, a rejection sets it rejected,
    and the helpers below guard its edits, its submission and its
    cancellation.
    """

    _name = "sale.approval.request.mixin"
    _inherit = "sale.approval.mixin"
    _description = "Reviewable Request"

    # The states in which the requester still edits and submits the document.
    _approval_draft_states = ("draft", "rejected")
    # Fields that the decision sets (besides ``state``): never given at create.
    _approval_decision_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            names = {"state", *self._approval_decision_fields}
            for vals in vals_list:
                given = {
                    name
                    for name in names.intersection(vals)
                    if vals[name] and not (name == "state" and vals[name] == "draft")
                }
                if given:
                    raise UserError(
                        self.env._(
                            "A new %(document)s starts as a draft: its status and "
                            "decision (%(fields)s) are set by its review. Create it "
                            "without them and submit it.",
                            document=self.env["ir.model"]._get(self._name).name,
                            fields=", ".join(sorted(given)),
                        )
                    )
            # The whole context, less the status' default_ keys.
            model = self.with_context(  # pylint: disable=context-overridden
                strip_engine_defaults(self.env, names)
            )
            return super(SaleApprovalRequestMixin, model).create(vals_list)
        return super().create(vals_list)

    def _get_engine_fields(self):
        # The status and the values the decision sets are written by the
        # decision only (the buttons and the review engine).
        return super()._get_engine_fields() | {"state", *self._approval_decision_fields}

    def _get_engine_field_error(self, names):
        if names - APPROVAL_ENGINE_FIELDS:
            return self.env._(
                "The status of %(document)s and the values its decision sets "
                "(%(fields)s) change through its buttons and its review only.",
                document=self.env["ir.model"]._get(self._name).name,
                fields=", ".join(sorted(names)),
            )
        return super()._get_engine_field_error(names)

    def _approval_check_draft_write(self, vals, status_fields=("state",)):
        """Guard of ``write()``: the status changes through the buttons, and
        only drafts and rejected documents change."""
        if self.env.su:
            return
        if set(status_fields) & set(vals):
            raise UserError(
                self.env._(
                    "Use the buttons to change the status of %(document)s.",
                    document=self[:1].display_name,
                )
            )
        locked = self.filtered(lambda d: d.state not in self._approval_draft_states)
        if locked:
            raise UserError(
                self.env._(
                    "%(document)s is under review or decided and cannot be edited.",
                    document=locked[0].display_name,
                )
            )

    def _approval_check_not_submitted(self):
        """Refuse to submit a document twice."""
        for document in self:
            if document.state not in self._approval_draft_states:
                raise UserError(
                    self.env._(
                        "%(document)s was already submitted.",
                        document=document.display_name,
                    )
                )

    @decision_action
    def _approval_cancel(self, decided_states, decided_message, reset_message):
        """Cancel the requests: a decided one (``decided_states``) refuses with
        ``decided_message``; one under review has its review voided with
        ``reset_message``."""
        self.check_access("write")
        for document in self:
            if document.state in decided_states:
                raise UserError(decided_message)
            if document.approval_state == "pending":
                document._approval_reset(reset_message)
        self.sudo().write({"state": "cancel"})
        return True

    def _get_approval_owners(self):
        return super()._get_approval_owners() | self.user_id

    def _on_approval_rejected(self):
        result = super()._on_approval_rejected()
        self.sudo().write({"state": "rejected"})
        return result
