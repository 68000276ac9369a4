# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from .sale_credit_grade import CREDIT_GRADES
from .sale_tools import company_lang, ensure_one_record, read_all_related

# How long a confirmation waits for another confirmation of the same customer.
CREDIT_LOCK_TIMEOUT_MS = 10000
# The longest a finance release of a credit hold stays valid.
MAX_RELEASE_DAYS = 366
# Finance's to-do on a held order.
CREDIT_HOLD_ACTIVITY = "sale_process_control.mail_activity_type_credit_hold"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_hold = fields.Boolean(
        string="On Credit Hold",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    credit_hold_reasons = fields.Text(readonly=True, copy=False)
    credit_hold_date = fields.Datetime(readonly=True, copy=False)
    credit_release_ids = fields.One2many(
        "sale.credit.release", "order_id", string="Credit Releases", readonly=True
    )
    credit_control_enabled = fields.Boolean(
        related="company_id.sale_credit_control_enabled"
    )
    # The customer's credit situation, visible to sales without accounting
    # rights, as far as the customer's own form shows it to the user: an order
    # for another salesperson's customer does not reveal that customer's
    # figures (computed as the user, not as superuser like a related field).
    credit_exposure = fields.Monetary(
        compute="_compute_credit_figures", string="Customer Exposure"
    )
    credit_limit_sales = fields.Monetary(
        compute="_compute_credit_figures", string="Customer Credit Limit"
    )
    credit_available = fields.Monetary(
        compute="_compute_credit_figures", string="Customer Available Credit"
    )
    credit_overdue_amount = fields.Monetary(
        compute="_compute_credit_figures", string="Customer Overdue"
    )
    credit_grade = fields.Selection(
        CREDIT_GRADES, compute="_compute_credit_figures", string="Customer Grade"
    )
    credit_warning = fields.Char(compute="_compute_credit_warning")

    @api.depends("partner_id", "company_id")
    @api.depends_context("uid", "company")
    def _compute_credit_figures(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id or self.env.company
            )
            visible = bool(partner) and partner._is_credit_visible()
            order.credit_exposure = partner.credit_exposure if visible else 0.0
            order.credit_limit_sales = partner.credit_limit_sales if visible else 0.0
            order.credit_available = partner.credit_available if visible else 0.0
            order.credit_overdue_amount = (
                partner.credit_overdue_amount if visible else 0.0
            )
            order.credit_grade = partner.credit_grade if visible else False

    @api.depends("partner_id", "amount_total", "state")
    @api.depends_context("company")
    def _compute_credit_warning(self):
        for order in self:
            warnings = []
            partner = order.partner_id.commercial_partner_id
            if order.state in ("draft", "sent") and partner:
                grade = (
                    self.env["sale.credit.grade"]
                    .sudo()
                    .search(
                        [
                            ("company_id", "=", order.company_id.id),
                            ("code", "=", partner.credit_grade),
                        ],
                        limit=1,
                    )
                    if partner.credit_grade
                    else self.env["sale.credit.grade"]
                )
                if grade.requires_prepayment and not grade.blocks_orders:
                    warnings.append(
                        self.env._(
                            "Grade %(grade)s customer: ask for a prepayment or a "
                            "guarantee.",
                            grade=grade.code,
                        )
                    )
                if order._is_first_order_without_evaluation():
                    warnings.append(
                        self.env._(
                            "First order of a customer without a valid credit "
                            "evaluation: have finance evaluate the customer."
                        )
                    )
            order.credit_warning = " ".join(warnings) or False

    # ------------------------------------------------------------------
    # Confirmation (the gate in sale_order_gate.py calls these)
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Orders that fail the credit check go on hold instead of being
        confirmed; the hold is kept (nothing is raised) so that finance finds
        it. The others are confirmed through the gate."""
        controlled = self.filtered(
            lambda o: (
                o.company_id.sale_credit_control_enabled
                and o.state in ("draft", "sent")
            )
        )
        # An order that would be refused anyway (review, contract) is refused
        # before the credit check, which would put it on hold for finance.
        for order in controlled:
            error = order._get_confirmation_gate_error(credit=False)
            if error:
                raise UserError(error)
        controlled._gate_remember_checks("rules")
        held = controlled._check_credit_and_hold()
        if held and held == self:
            return self._credit_hold_notification(held)
        result = super(SaleOrder, self - held).action_confirm()
        if held:
            return self._credit_hold_notification(held)
        return result

    def _check_credit_and_hold(self):
        """Check the credit of the orders as one batch; put the ones that fail
        on hold, clear the hold of the ones that pass, and return the held."""
        # The hold reasons are read by finance: in the company's language.
        failures = self._evaluate_credit(company_language=True)
        held = self.filtered(lambda o: o in failures)
        for order in held:
            order._set_credit_hold(failures[order])
        passed = self - held
        for order in passed.filtered("credit_hold"):
            order._clear_credit_hold(self.env._("the credit check passed"))
        # The gate need not check these again when their state is written.
        passed._gate_remember_checks("credit")
        return held

    def _get_credit_hold_gate_error(self):
        """The credit part of the gate's per-order checks: a held order waits
        for finance's release."""
        self.ensure_one()
        if not self.company_id.sale_credit_control_enabled:
            return False
        if self.credit_hold and not self._get_valid_credit_release():
            return self.env._(
                "%(order)s is on credit hold: %(reasons)s Finance can release it, "
                "or the hold clears itself once the customer pays or gets a new limit.",
                order=self.name,
                reasons=self.credit_hold_reasons or "",
            )
        return False

    def _check_credit_or_raise(self):
        """The credit check of orders that enter a confirmed state other than
        through ``action_confirm`` (a write of the state, create, import):
        they either pass together or the whole change is refused."""
        failures = self._evaluate_credit()
        if failures:
            order, reasons = next(iter(failures.items()))
            raise UserError(
                self.env._(
                    "%(order)s cannot be confirmed on credit: %(reasons)s. Confirm it "
                    "with its Confirm button to put it on credit hold for finance.",
                    order=order.name,
                    reasons="; ".join(reasons),
                )
            )

    def _evaluate_credit(self, company_language=False):
        """Check the credit of the orders ``self`` as one batch, under a lock on
        their customers, and return ``{order: reasons}`` of the ones that fail
        and have no valid release; with ``company_language``, the reasons are
        in the language of the order's company (looked up only for orders
        that fail).

        The orders of one customer are checked cumulatively: each one meets
        the exposure of the customer plus the orders of the batch checked
        before it, so that two orders that each fit the limit cannot pass
        together when their sum does not.
        """
        failures = {}
        controlled = self.filtered(lambda o: o.company_id.sale_credit_control_enabled)
        if not controlled:
            return failures
        for company in controlled.company_id:
            orders = controlled.filtered(lambda o, c=company: o.company_id == c)
            partners = orders.partner_id.commercial_partner_id
            self._lock_customers_for_credit(company, partners)
            figures = partners._get_credit_figures(
                company, exclude_order_ids=orders.ids
            )
            # Only the grades the customers hold, in one query.
            codes = {row["grade"] for row in figures.values() if row["grade"]}
            grades = (
                {
                    grade.code: grade
                    for grade in self.env["sale.credit.grade"]
                    .sudo()
                    .search_fetch(
                        [("company_id", "=", company.id), ("code", "in", list(codes))],
                        ["code", "blocks_orders"],
                    )
                }
                if codes
                else {}
            )
            added = dict.fromkeys(partners.ids, 0.0)
            for order in orders.sorted("id"):
                partner = order.partner_id.commercial_partner_id
                reasons = order._get_credit_hold_reasons(
                    include_self=True,
                    figures=figures[partner.id],
                    extra_exposure=added[partner.id],
                    grades=grades,
                )
                if reasons and not order._get_valid_credit_release():
                    if company_language:
                        reasons = order.with_context(
                            lang=company_lang(company)
                        )._get_credit_hold_reasons(
                            include_self=True,
                            figures=figures[partner.id],
                            extra_exposure=added[partner.id],
                            grades=grades,
                        )
                    failures[order] = reasons
                    continue
                added[partner.id] += order._get_credit_amount()
        return failures

    def _get_credit_amount(self):
        """What the order adds to its customer's exposure (company currency)."""
        self.ensure_one()
        return self.amount_total / (self.currency_rate or 1.0)

    def _lock_customers_for_credit(self, company, partners):
        """Serialise the credit checks of ``partners`` in ``company``.

        The lock row of each customer is *written*: a second confirmation
        waits for the first to commit, and since its snapshot (REPEATABLE
        READ) cannot show the first one's order, PostgreSQL then refuses it
        with a serialization failure, which Odoo answers by running the
        request again on a fresh snapshot that counts the first order.
        """
        if not partners:
            return
        cr = self.env.cr
        try:
            # One round trip: a savepoint, the timeout, the lock, the timeout
            # reset and the savepoint's release.
            cr.execute(
                SQL(
                    "SAVEPOINT spc_credit_lock; SET LOCAL lock_timeout = %s; %s; "
                    "SET LOCAL lock_timeout TO DEFAULT; "
                    "RELEASE SAVEPOINT spc_credit_lock",
                    f"{CREDIT_LOCK_TIMEOUT_MS}ms",
                    self.env["sale.credit.lock"]._lock_sql(company, partners),
                )
            )
        except errors.LockNotAvailable:
            # Back to before the savepoint: the transaction goes on.
            cr.execute(
                "ROLLBACK TO SAVEPOINT spc_credit_lock; "
                "RELEASE SAVEPOINT spc_credit_lock"
            )
            raise UserError(
                self.env._(
                    "Another order of %(customer)s is being confirmed right now. "
                    "Try again in a moment.",
                    customer=", ".join(partners.mapped("display_name")),
                )
            ) from None

    def _get_credit_hold_reasons(
        self, include_self=None, figures=None, extra_exposure=0.0, grades=None
    ):
        """Why this order cannot go ahead on credit; empty when it can.

        ``figures`` (of the commercial partner, with this order excluded) and
        ``grades`` (``{code: grade}``) may be given by a batch check;
        ``extra_exposure`` is what orders checked before this one in the same
        batch add.
        """
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id
        if include_self is None:
            include_self = self.state in ("draft", "sent")
        if figures is None:
            exclude = self.ids if include_self else []
            figures = partner._get_credit_figures(company, exclude_order_ids=exclude)[
                partner.id
            ]
        this_order = self._get_credit_amount() if include_self else 0.0
        exposure = figures["exposure"] + extra_exposure + this_order
        currency = company.currency_id
        reasons = []
        if (
            float_compare(
                exposure, figures["limit"], precision_rounding=currency.rounding
            )
            > 0
        ):
            reasons.append(
                self.env._(
                    "exposure %(exposure)s exceeds the credit limit %(limit)s",
                    exposure=currency.format(exposure),
                    limit=currency.format(figures["limit"]),
                )
            )
        if grades is not None:
            grade = grades.get(figures["grade"]) or self.env["sale.credit.grade"]
        elif figures["grade"]:
            grade = (
                self.env["sale.credit.grade"]
                .sudo()
                .search(
                    [("company_id", "=", company.id), ("code", "=", figures["grade"])],
                    limit=1,
                )
            )
        else:
            grade = self.env["sale.credit.grade"]
        if grade.blocks_orders:
            reasons.append(
                self.env._(
                    "the customer's credit grade %(grade)s blocks new orders",
                    grade=grade.code,
                )
            )
        if (
            float_compare(
                figures["overdue_beyond_tolerance"],
                company.sale_credit_overdue_amount,
                precision_rounding=currency.rounding,
            )
            > 0
        ):
            reasons.append(
                self.env._(
                    "%(amount)s overdue for more than %(days)s days "
                    "(oldest: %(oldest)s days)",
                    amount=currency.format(figures["overdue_beyond_tolerance"]),
                    days=company.sale_credit_overdue_days,
                    oldest=figures["overdue_days"],
                )
            )
        if include_self and self._is_first_order_without_evaluation(figures):
            reasons.append(
                self.env._(
                    "first order of a customer without a valid credit evaluation"
                )
            )
        return reasons

    def _is_first_order_without_evaluation(self, figures=None):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if figures is None:
            figures = partner._get_credit_figures(
                self.company_id, exclude_order_ids=self.ids
            )[partner.id]
        return not figures["grade_valid"] and not figures["has_confirmed_orders"]

    def _set_credit_hold(self, reasons):
        self.ensure_one()
        text = "; ".join(reasons)
        # A sentence ends in the full stop of its script.
        if text and text[-1] not in ".。":
            text += "。" if ord(text[-1]) >= 0x2E80 else "."
        # The hold is the control's own bookkeeping; salespeople cannot write it.
        self.sudo().write(
            {
                "credit_hold": True,
                "credit_hold_reasons": text[:1].upper() + text[1:],
                "credit_hold_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Put on credit hold: %(reasons)s", reasons=self.credit_hold_reasons
            )
        )
        finance = (
            self.env.ref("sale_process_control.group_sale_reviewer_finance")
            .sudo()
            .users
        )
        for user in finance.filtered(
            lambda u: self.company_id in u.company_ids and u != self.user_id
        )[:5]:
            self.sudo().activity_schedule(
                CREDIT_HOLD_ACTIVITY,
                summary=self.env._("Credit hold to review"),
                note=self.credit_hold_reasons,
                user_id=user.id,
            )

    def _clear_credit_hold(self, why, feedback=None):
        """Lift the hold: the order no longer looks held anywhere, and the
        finance activities of the hold are done (``feedback``) or, when the
        hold cleared by itself, removed."""
        self.ensure_one()
        self.sudo().write({"credit_hold": False, "credit_hold_reasons": False})
        if feedback:
            self.sudo().activity_feedback([CREDIT_HOLD_ACTIVITY], feedback=feedback)
        else:
            self.sudo().activity_unlink([CREDIT_HOLD_ACTIVITY])
        self.message_post(body=self.env._("Credit hold cleared: %(why)s.", why=why))

    def _get_valid_credit_release(self):
        """The release that still covers this order, if any: not expired, given
        for the order's customer, company and currency, and the order has not
        grown beyond the company's tolerance since."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        tolerance = self.company_id.sale_credit_release_tolerance / 100.0
        customer = self.partner_id.commercial_partner_id
        releases = read_all_related(self, "credit_release_ids")
        for release in releases.sorted("id", reverse=True):
            if (
                release.valid_until >= today
                and release.partner_id == customer
                and release.release_company_id == self.company_id
                and release.release_currency_id == self.currency_id
                and float_compare(
                    self.amount_total,
                    release.amount * (1 + tolerance),
                    precision_rounding=self.currency_id.rounding,
                )
                <= 0
            ):
                return release
        return self.env["sale.credit.release"]

    def _credit_hold_notification(self, held):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Credit hold"),
                "message": "\n".join(
                    f"{order.name}: {order.credit_hold_reasons}" for order in held
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_request_credit_release(self):
        """Open the release dialog (finance only)."""
        ensure_one_record(self)
        self.env["sale.credit.release"]._check_can_release(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Hold"),
            "res_model": "sale.credit.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _check_delivery_credit(self):
        """Outgoing deliveries of held orders wait for finance."""
        for order in self.filtered(lambda o: o.company_id.sale_credit_control_enabled):
            if order._get_valid_credit_release():
                continue
            reasons = []
            if order.credit_hold:
                reasons.append(order.credit_hold_reasons)
            else:
                live = [
                    reason
                    for reason in order._get_credit_hold_reasons(include_self=False)
                    if reason
                ]
                reasons += live
            if reasons:
                raise UserError(
                    self.env._(
                        "The delivery of %(order)s cannot be validated: the order is "
                        "on credit hold (%(reasons)s). Finance can release it.",
                        order=order.name,
                        reasons=" ".join(reasons),
                    )
                )


class SaleCreditRelease(models.Model):
    """Finance's release of a credit hold: reason, amount covered, validity."""

    _name = "sale.credit.release"
    _description = "Credit Hold Release"
    _order = "id desc"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    # What the release was given for: it covers the order only as long as the
    # order keeps this customer, company and currency.
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True
    )
    release_company_id = fields.Many2one("res.company", readonly=True)
    release_currency_id = fields.Many2one(
        "res.currency", string="Released Currency", readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Released By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    reason = fields.Text(required=True)
    days = fields.Integer(string="Valid For (Days)", default=7, required=True)
    amount = fields.Monetary(
        string="Released Amount",
        readonly=True,
        help="The order amount the release covers (plus the company's tolerance).",
    )
    valid_until = fields.Date(readonly=True)
    hold_reasons = fields.Text(string="Reasons Released", readonly=True)

    @api.model
    def _check_can_release(self, order):
        user = self.env.user
        if not user.has_group("sale_process_control.group_sale_reviewer_finance"):
            raise UserError(self.env._("Only finance reviewers release credit holds."))
        if user in (order.user_id | order.create_uid) and not self.env.su:
            raise UserError(
                self.env._(
                    "You sell %(order)s: another finance reviewer releases it.",
                    order=order.name,
                )
            )

    @api.model
    def _get_release_order(self, order_id):
        """The order a release is given for, or a clear refusal."""
        if isinstance(order_id, bool) or not isinstance(order_id, int):
            raise UserError(self.env._("Choose the held order to release."))
        order = self.env["sale.order"].browse(order_id).exists()
        if not order:
            raise UserError(
                self.env._("The order to release no longer exists; reload the page.")
            )
        return order

    @api.model
    def _get_release_days(self, days):
        """The validity of a release in days: a whole number from 1 to
        MAX_RELEASE_DAYS."""
        if isinstance(days, str) and days.strip().isdigit():
            days = int(days)
        if isinstance(days, bool) or not isinstance(days, int):
            raise UserError(
                self.env._(
                    "Give the number of days the release is valid for, as a whole "
                    "number of days."
                )
            )
        if not 1 <= days <= MAX_RELEASE_DAYS:
            raise UserError(
                self.env._(
                    "A release is valid for at least one day and at most %(max)s "
                    "days; for longer, request a higher credit limit instead.",
                    max=MAX_RELEASE_DAYS,
                )
            )
        return days

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            vals.setdefault("order_id", self.env.context.get("default_order_id"))
            order = self._get_release_order(vals.get("order_id"))
            self._check_can_release(order)
            days = vals["days"] = self._get_release_days(vals.get("days", 7))
            vals.update(
                user_id=self.env.user.id,
                amount=order.amount_total,
                valid_until=today + timedelta(days=days),
                hold_reasons=order.credit_hold_reasons,
                partner_id=order.partner_id.commercial_partner_id.id,
                release_company_id=order.company_id.id,
                release_currency_id=order.currency_id.id,
            )
        # Releases are written for finance reviewers, who may not write orders.
        releases = super(SaleCreditRelease, self.sudo()).create(vals_list)
        for release in releases:
            release.order_id.message_post(
                body=self.env._(
                    "Credit hold released by %(user)s until %(date)s for %(amount)s: "
                    "%(reason)s",
                    user=release.user_id.name,
                    date=release.valid_until,
                    amount=release.currency_id.format(release.amount),
                    reason=release.reason,
                )
            )
            order = release.order_id
            if order.credit_hold:
                order._clear_credit_hold(
                    self.env._(
                        "released by finance; the order can be confirmed until "
                        "%(date)s",
                        date=release.valid_until,
                    ),
                    feedback=release.reason,
                )
        return releases.sudo(False)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("A credit release is kept as it was given."))
        return super().write(vals)

    def action_release(self):
        return {"type": "ir.actions.act_window_close"}


class SaleCreditLock(models.Model):
    """One row per customer and company, written by every credit check of the
    customer's orders (see ``sale.order._lock_customers_for_credit``). Its
    only purpose is the row lock and the serialization failure that the write
    gives a concurrent check."""

    _name = "sale.credit.lock"
    _description = "Credit Check Lock"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    checks = fields.Integer(help="How many credit checks wrote the row.")

    _sql_constraints = [
        (
            "partner_company_unique",
            "unique (partner_id, company_id)",
            "One credit lock per customer and company.",
        ),
    ]

    @api.model
    def _lock_sql(self, company, partners):
        """The statement that writes the lock rows of ``partners``, in id order
        (two batches never wait for each other crosswise)."""
        return SQL(
            """
            INSERT INTO sale_credit_lock (partner_id, company_id, checks)
                 SELECT partner_id, %(company)s, 1
                   FROM unnest(%(partners)s::int[]) AS partner_id
               ORDER BY partner_id
            ON CONFLICT (partner_id, company_id)
                DO UPDATE SET checks = sale_credit_lock.checks + 1
            """,
            company=company.id,
            partners=sorted(partners.ids),
        )
