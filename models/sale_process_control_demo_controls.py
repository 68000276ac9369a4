# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import base64
import logging
import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from .sale_process_control_demo import in_demo_lang
from .sale_visit_window import WINDOW_INTERVALS, next_window_start, window_start

_logger = logging.getLogger(__name__)

DEMO_PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


class SaleProcessControlDemo(models.AbstractModel):
    _inherit = "sale.process.control.demo"

    @api.model
    @in_demo_lang
    def _generate_demo_controls(self):
        """Put the controls to work on the demo company (demo data only): tiers and
        a tier review, reviews in every state, price changes, credit grades, limits
        and a hold, contracts in every state."""
        users = {
            user.login: user
            for user in self.env["res.users"].search(
                [
                    (
                        "login",
                        "in",
                        [
                            "sales",
                            "sales2",
                            "head",
                            "director",
                            "management",
                            "finance",
                            "legal",
                            "tech",
                            "production",
                        ],
                    )
                ]
            )
        }
        if "sales" not in users:
            _logger.info("Demo users missing: no control demo data")
            return True
        company = users["sales"].company_id
        env = (
            self.with_company(company)
            .with_context(
                allowed_company_ids=[company.id],
                tracking_disable=True,
                mail_notrack=True,
            )
            .env
        )
        company.write(
            {
                "sale_review_enabled": True,
                "sale_discount_control_enabled": True,
                "sale_credit_control_enabled": True,
                "sale_customer_ownership_control": True,
                "sale_joint_review_amount": 200000.0,
                "sale_credit_overdue_days": 30,
            }
        )
        customers = env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("parent_id", "=", False),
                ("company_id", "in", (False, company.id)),
                (
                    "user_id",
                    "in",
                    [users["sales"].id, users.get("sales2", users["sales"]).id],
                ),
            ],
            order="id",
        )
        if len(customers) < 8:
            _logger.info("Not enough demo customers: no control demo data")
            return True
        self._demo_tiers(env, company, users)
        self._demo_visits(env, company, users)
        self._demo_credit(env, company, customers, users)
        self._demo_reviews(env, company, customers, users)
        self._demo_contracts(env, company, customers, users)
        return True

    # ------------------------------------------------------------------
    def _demo_tiers(self, env, company, users):
        Review = env["sale.tier.review"]
        today = fields.Date.context_today(self)
        last_quarter = today - timedelta(days=95)
        previous = Review.sudo()._get_or_create_review(company, last_quarter)
        previous.with_user(users["head"]).action_confirm_all()
        Review.sudo()._get_or_create_review(company, today)

    def _demo_visits(self, env, company, users):
        """Eighteen months of visits of the tiered customers at their cadence: the
        first salesperson keeps it better than the second, some planned visits
        were missed, the department head rated a few, and next week's visits are
        planned. The customers have traded for eighteen months: they are
        dated from then, so that their visit windows start there."""
        today = fields.Date.context_today(self)
        second = users.get("sales2", users["sales"])
        customers = env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("parent_id", "=", False),
                ("customer_tier_id", "!=", False),
                ("user_id", "in", [users["sales"].id, second.id]),
            ],
            order="id",
        )
        if not customers:
            return
        since = today - relativedelta(months=18)
        customers.flush_recordset()
        env.cr.execute(
            "UPDATE res_partner SET create_date = LEAST(create_date, %s) "
            "WHERE id = ANY(%s) OR parent_id = ANY(%s)",
            [since, customers.ids, customers.ids],
        )
        customers.invalidate_recordset(["create_date"])
        rng = random.Random(20261130)
        diligence = {second.id: 0.62, users["sales"].id: 0.88}
        text = self._demo_text
        purposes = [
            (text("Review this quarter's orders and forecast"), "onsite"),
            (text("Present the new product range"), "onsite"),
            (text("Follow up on the last delivery"), "phone"),
            (text("Discuss next year's framework agreement"), "video"),
            (text("Collect feedback on quality and service"), "onsite"),
        ]
        needs = [
            text("Wants shorter lead times on standard items."),
            text("Plans a second production line next year."),
            text("Asks for a volume price on the yearly quantity."),
            text("Needs certificates of origin with each delivery."),
        ]
        vals_list = []
        for partner in customers:
            interval = partner.customer_tier_id.visit_interval
            if interval not in WINDOW_INTERVALS:
                continue
            contact = partner.child_ids[:1]
            start = window_start(since, interval)
            while start <= today:
                following = next_window_start(start, interval)
                last = min(following - timedelta(days=1), today)
                first = max(start, since)
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                # The window still running is met less often: it is not over.
                chance = diligence[partner.user_id.id] * (
                    0.5 if following > today else 1.0
                )
                purpose, channel = rng.choice(purposes)
                vals = {
                    "partner_id": partner.id,
                    "contact_id": contact.id,
                    "user_id": partner.user_id.id,
                    "company_id": company.id,
                    "purpose": purpose,
                    "channel": channel,
                    "planned_date": datetime.combine(day, time(2, 0)),
                }
                roll = rng.random()
                if roll < chance:
                    vals.update(
                        state="done",
                        visit_date=day,
                        summary=text("%(purpose)s: met %(contact)s.")
                        % {
                            "purpose": purpose,
                            "contact": contact.name or text("the buyer"),
                        },
                        customer_needs=rng.choice(needs),
                    )
                    if rng.random() < 0.15:
                        vals.update(
                            effectiveness=rng.choice(["3", "4", "5"]),
                            manager_comment=text(
                                "Good preparation; keep the follow-up."
                            ),
                            reviewed_by_id=users["head"].id,
                            reviewed_date=datetime.combine(day, time(9, 0)),
                        )
                    vals_list.append(vals)
                elif roll < chance + 0.15 and day < today - timedelta(days=7):
                    vals_list.append(dict(vals, state="missed"))
                start = following
            if rng.random() < 0.4:
                day = today + timedelta(days=rng.randint(1, 7))
                vals_list.append(
                    {
                        "partner_id": partner.id,
                        "contact_id": contact.id,
                        "user_id": partner.user_id.id,
                        "company_id": company.id,
                        "purpose": purposes[0][0],
                        "channel": "onsite",
                        "planned_date": datetime.combine(day, time(2, 0)),
                        "preparation": text("Order history, open quotations, samples."),
                    }
                )
        env["sale.visit"].create(vals_list)

    def _demo_credit(self, env, company, customers, users):
        Evaluation = env["sale.credit.evaluation"]
        scores = [92, 90, 88, 80, 78, 75, 72, 60, 58, 30]
        for partner, score in zip(customers, scores, strict=False):
            evaluation = Evaluation.create(
                {"partner_id": partner.id, "company_id": company.id}
            )
            evaluation.line_ids.write({"score": score})
            evaluation.with_user(users["finance"]).action_validate()
        Request = env["sale.credit.limit.request"]
        for index, partner in enumerate(customers):
            exposure = partner._get_credit_figures(company)[partner.id]["exposure"]
            # One customer close to its limit, the others with room.
            limit = round(exposure * (1.05 if index == 3 else 1.8) + 200000, -4)
            request = Request.with_user(users["sales"]).create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "proposed_limit": limit,
                    "reason": self._demo_text("Annual credit review"),
                }
            )
            request.action_submit()
            request.with_user(users["finance"]).action_approve(
                self._demo_text("Payment record checked.")
            )
            request.with_user(users["management"]).action_approve()
        pending = Request.with_user(users["sales"]).create(
            {
                "partner_id": customers[1].id,
                "company_id": company.id,
                "proposed_limit": 1500000.0,
                "reason": self._demo_text("New framework agreement expected"),
                "valid_until": fields.Date.context_today(self) + timedelta(days=90),
            }
        )
        pending.action_submit()
        # An order beyond the limit of the customer close to it: on hold.
        product = env["product.product"].search(
            [("sale_ok", "=", True), ("type", "=", "consu")], limit=1
        )
        held = (
            env["sale.order"]
            .with_user(users["sales"])
            .create(
                {
                    "partner_id": customers[3].id,
                    "user_id": users["sales"].id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 40}
                        )
                    ],
                }
            )
        )
        held._check_credit_and_hold()

    def _registered_order(
        self, env, partner, product, qty, user, discount=0.0, **values
    ):
        contact = partner.child_ids[:1] or partner
        return (
            env["sale.order"]
            .with_user(user)
            .create(
                dict(
                    {
                        "partner_id": partner.id,
                        "user_id": user.id,
                        "customer_contact_id": contact.id
                        if contact != partner
                        else False,
                        "customer_contact_phone": contact.phone
                        or partner.phone
                        or "021-5555-0000",
                        "commitment_date": fields.Datetime.now() + timedelta(days=30),
                        "requirement_description": product.name,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": qty,
                                    "discount": discount,
                                    "discount_reason": self._demo_text("Volume order")
                                    if discount
                                    else False,
                                }
                            )
                        ],
                    },
                    **values,
                )
            )
        )

    def _demo_reviews(self, env, company, customers, users):
        products = env["product.product"].search(
            [("sale_ok", "=", True), ("type", "=", "consu")], limit=4
        )
        if not products:
            return
        sales, head = users["sales"], users["head"]
        pending = self._registered_order(env, customers[0], products[0], 3, sales)
        pending.action_submit_for_approval()
        joint = self._registered_order(
            env, customers[1], products[-1], 60, sales, has_complex_requirements=True
        )
        joint.action_submit_for_approval()
        joint.with_user(head).action_approve(
            self._demo_text("Customer needs are clear.")
        )
        rejected = self._registered_order(
            env, customers[2], products[0], 5, sales, discount=12.0
        )
        rejected.action_submit_for_approval()
        rejected.with_user(head).action_reject(
            "12% is too much for this volume; offer 8%."
        )
        approved = self._registered_order(
            env, customers[4], products[1], 4, sales, discount=8.0
        )
        approved.action_submit_for_approval()
        approved.with_user(head).action_approve(self._demo_text("Within policy."))
        for step in approved._get_open_steps():
            reviewer = next(
                (u for u in users.values() if step._is_decidable_by(u)), None
            )
            if reviewer:
                approved.with_user(reviewer).action_approve()
        Change = env["sale.price.change"]
        change = Change.with_user(sales).create(
            {
                "reason": self._demo_text("Steel prices up 12% since January."),
                "line_ids": [
                    Command.create(
                        {
                            "product_id": products[0].id,
                            "proposed_price": products[0].lst_price * 1.08,
                        }
                    )
                ],
            }
        )
        change.action_submit()

    def _demo_contracts(self, env, company, customers, users):
        orders = env["sale.order"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("partner_id", "in", customers.ids),
                # The salesperson who drafts and signs them below.
                ("user_id", "=", users["sales"].id),
            ],
            order="date_order desc",
            limit=6,
        )
        sales, head, legal = users["sales"], users["head"], users["legal"]
        Contract = env["sale.contract"]
        for index, order in enumerate(orders):
            contract = Contract.with_user(sales)._create_from_orders(order)
            if index == 0:
                continue  # draft
            contract.action_submit()
            if index == 1:
                continue  # under review
            contract.with_user(head).action_approve()
            contract.with_user(legal).action_approve()
            for step in contract._get_open_steps():
                reviewer = next(
                    (u for u in users.values() if step._is_decidable_by(u)), None
                )
                if reviewer:
                    contract.with_user(reviewer).action_approve()
            if index == 2:
                continue  # approved, waiting for signature
            contract.with_user(sales)._sign(
                {
                    "sign_date": order.date_order.date(),
                    "customer_signatory": contract.customer_representative or "—",
                    "signed_file": DEMO_PDF,
                    "signed_filename": f"{contract.name}.pdf",
                }
            )
            if index == 4:
                self._demo_amend(env, contract, users, "change")
            elif index == 5:
                self._demo_amend(env, contract, users, "termination")

    def _demo_amend(self, env, contract, users, kind):
        amendment = (
            env["sale.contract.amendment"]
            .with_user(contract.user_id or users["sales"])
            .create(
                {
                    "contract_id": contract.id,
                    "amendment_type": kind,
                    "reason": self._demo_text("Customer asked to postpone delivery.")
                    if kind == "change"
                    else self._demo_text(
                        "Customer project cancelled by mutual agreement."
                    ),
                    "new_delivery_date": fields.Date.context_today(self)
                    + timedelta(days=60)
                    if kind == "change"
                    else False,
                    "signed_file": DEMO_PDF,
                    "signed_filename": "agreement.pdf",
                }
            )
        )
        amendment.action_submit()
        for _round in range(4):
            for step in amendment._get_open_steps().filtered(
                lambda s: s.state == "pending"
            ):
                reviewer = next(
                    (
                        u
                        for u in env["res.users"].browse([u.id for u in users.values()])
                        if step._is_decidable_by(u)
                    ),
                    None,
                )
                if reviewer:
                    amendment.with_user(reviewer).action_approve()
