# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SaleProcessControlCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
QUARTERS = [
    Q1,
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), date(2026, 12, 31)),
]
SALESMAN = "sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestSaleAppraisal(SaleProcessControlCommon):
    """R-34, R-35: appraisal templates, generation, the scoring flow and its
    role checks, the annual roll-up, the bonus table, honours and access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = cls.sale_user
        cls.salesperson_2 = cls._create_role_user("spc_appr_sales2", SALESMAN)
        cls.outsider = cls._create_role_user("spc_appr_sales3", SALESMAN)
        cls.other_head = cls._create_role_user(
            "spc_appr_head2", "sale_process_control.group_sale_department_head"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Appraisal Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set((cls.salesperson | cls.salesperson_2).ids)],
            }
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Team",
                "user_id": cls.other_head.id,
                "member_ids": [Command.set(cls.outsider.ids)],
            }
        )
        kpi = cls.env.ref
        cls.template = cls.env["sale.appraisal.template"].create(
            {
                "name": "Test Quarterly",
                "period_type": "quarter",
                "bonus_base": 10000.0,
                "line_ids": [
                    Command.create(
                        {
                            "kpi_id": kpi(
                                "sale_process_control.sale_kpi_sales_amount"
                            ).id,
                            "weight": 40,
                            "target_value": 1000,
                            "floor_value": 0,
                            "max_score": 120,
                        }
                    ),
                    Command.create(
                        {
                            "kpi_id": kpi(
                                "sale_process_control.sale_kpi_order_count"
                            ).id,
                            "weight": 20,
                            "target_value": 2,
                            "floor_value": 0,
                            "max_score": 100,
                        }
                    ),
                    Command.create(
                        {
                            "kpi_id": kpi(
                                "sale_process_control.sale_kpi_expense_control"
                            ).id,
                            "weight": 20,
                            "target_value": 100,
                            "floor_value": 120,
                            "max_score": 110,
                        }
                    ),
                    Command.create(
                        {
                            "line_type": "quality",
                            "name": "Attitude",
                            "weight": 20,
                            "max_score": 100,
                        }
                    ),
                ],
            }
        )
        cls.annual_template = cls.env["sale.appraisal.template"].create(
            {"name": "Test Annual", "period_type": "year"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Appraisal Widget",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls._order(cls.salesperson, 5, "2026-02-10 10:00:00")

    @classmethod
    def _order(cls, user, qty, when):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "user_id": user.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _generate(self, user=None, period=Q1, template=None):
        wizard = Form(
            self.env["sale.appraisal.generate"].with_user(user or self.head_user)
        )
        wizard.template_id = template or self.template
        wizard.year = period[0].year
        if (template or self.template).period_type == "quarter":
            wizard.quarter = str((period[0].month - 1) // 3 + 1)
        wizard.team_id = self.team
        action = wizard.save().action_generate()
        return self.env["sale.appraisal"].search(action["domain"])

    def _appraisal(self, user, period=Q1):
        return self.env["sale.appraisal"].search(
            [
                ("user_id", "=", user.id),
                ("template_id", "=", self.template.id),
                ("date_from", "=", period[0]),
            ]
        )

    def _fill_and_score(self, appraisal, expense=110.0, attitude=100.0):
        as_head = appraisal.with_user(self.head_user)
        as_head.line_ids.filtered(lambda ln: ln.is_manual_value).value = expense
        as_head.quality_line_ids.score = attitude
        as_head.action_score()

    # ------------------------------------------------------------------
    # Templates and generation
    # ------------------------------------------------------------------
    def test_template_weights_total_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 90"):
            self.env["sale.appraisal.template"].create(
                {
                    "name": "Broken",
                    "line_ids": [
                        Command.create(
                            {
                                "kpi_id": self.env.ref(
                                    "sale_process_control.sale_kpi_sales_amount"
                                ).id,
                                "weight": 90,
                            }
                        )
                    ],
                }
            )
        with self.assertRaises(ValidationError):
            self.template.line_ids[0].weight = 30
        # An annual template may have no criteria: it averages the quarters.
        self.assertFalse(self.annual_template.line_ids)

    def test_generate_values_and_no_duplicates(self):
        appraisals = self._generate()
        self.assertEqual(appraisals.user_id, self.salesperson | self.salesperson_2)
        appraisal = self._appraisal(self.salesperson)
        self.assertEqual(appraisal.team_id, self.team)
        self.assertEqual((appraisal.date_from, appraisal.date_to), Q1)
        by_kpi = {line.kpi_id.code: line for line in appraisal.line_ids}
        self.assertEqual(by_kpi["sales_amount"].value, 500.0)
        self.assertEqual(by_kpi["sales_amount"].score, 50.0)
        self.assertEqual(by_kpi["sales_amount"].weighted_score, 20.0)
        self.assertEqual(by_kpi["order_count"].value, 1.0)
        self.assertEqual(by_kpi["order_count"].score, 50.0)
        self.assertIn("Manual input", by_kpi["expense_control"].note)
        self.assertEqual(appraisal.quality_line_ids.name, "Attitude")
        self.assertEqual(appraisal.bonus_base, 10000.0)
        # A new order, and the generation runs again: the draft is refreshed,
        # nothing is duplicated.
        self._order(self.salesperson, 5, "2026-03-01 10:00:00")
        again = self._generate()
        self.assertEqual(again, appraisals)
        self.assertEqual(by_kpi["sales_amount"].value, 1000.0)
        self.assertEqual(by_kpi["sales_amount"].score, 100.0)
        self.assertEqual(
            self.env["sale.appraisal"].search_count(
                [("template_id", "=", self.template.id)]
            ),
            2,
        )
        # Scored appraisals are left alone by a new run.
        self._fill_and_score(appraisal)
        self._order(self.salesperson, 5, "2026-03-02 10:00:00")
        self._generate()
        self.assertEqual(by_kpi["sales_amount"].value, 1000.0)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                self.env["sale.appraisal"].create(
                    {
                        "user_id": self.salesperson.id,
                        "template_id": self.template.id,
                        "date_from": Q1[0],
                        "date_to": Q1[1],
                    }
                )

    def test_sales_amount_is_scored_against_the_personal_target(self):
        # The salesperson's own Q1 target is 2000: 500 of sales score 25, not
        # the 50 the template's 1000 for everybody would give; the floor keeps
        # the template's proportion. The colleague without a target keeps the
        # template's figures.
        target = self.env["sale.target"].create(
            {
                "name": "Q1 personal",
                "period_type": "quarter",
                "year": 2026,
                "quarter": "1",
                "dimension": "user",
                "user_id": self.salesperson.id,
                "amount": 2000.0,
            }
        )
        target.action_activate()
        self._generate()
        line = self._appraisal(self.salesperson).line_ids.filtered(
            lambda ln: ln.kpi_id.code == "sales_amount"
        )
        self.assertEqual((line.target_value, line.floor_value), (2000.0, 0.0))
        self.assertEqual(line.value, 500.0)
        self.assertEqual(line.score, 25.0)
        other = self._appraisal(self.salesperson_2).line_ids.filtered(
            lambda ln: ln.kpi_id.code == "sales_amount"
        )
        self.assertEqual(other.target_value, 1000.0)
        # The target is raised: a new run refreshes the draft's target too.
        self.env["sale.target"].browse(target.id).sudo().amount = 4000.0
        self._generate()
        self.assertEqual(line.target_value, 4000.0)
        self.assertEqual(line.score, 12.5)

    def test_generation_queries_do_not_grow_with_salespeople(self):
        extra = self.env["res.users"].create(
            [
                {
                    "name": f"Appraised {index}",
                    "login": f"spc_appr_extra_{index}",
                    "groups_id": [Command.link(self.env.ref(SALESMAN).id)],
                }
                for index in range(6)
            ]
        )
        appraisal = self.env["sale.appraisal"]
        appraisal._generate(self.template, extra[:1], *QUARTERS[3])  # warm-up
        for users, period in ((extra[1:3], QUARTERS[1]), (extra, QUARTERS[2])):
            self.env.invalidate_all()
            with self.assertQueryCount(37):
                created = appraisal._generate(self.template, users, *period)
            self.assertEqual(len(created), len(users))
            # Each salesperson follows their own appraisal, and only that one.
            for record in created:
                self.assertIn(record.user_id.partner_id, record.message_partner_ids)
                self.assertEqual(
                    record.message_partner_ids & users.partner_id,
                    record.user_id.partner_id,
                )

    # ------------------------------------------------------------------
    # Flow and roles
    # ------------------------------------------------------------------
    def test_state_flow_and_role_checks(self):
        self._generate()
        appraisal = self._appraisal(self.salesperson)
        # The salesperson cannot score or edit; another head cannot even see it.
        with self.assertRaises(AccessError):
            appraisal.with_user(self.salesperson).action_score()
        with self.assertRaises(AccessError):
            appraisal.with_user(self.salesperson).line_ids[:1].value = 9999
        with self.assertRaises(AccessError):
            appraisal.with_user(self.other_head).action_score()
        # Qualitative criteria must be scored first.
        with self.assertRaisesRegex(UserError, "Attitude"):
            appraisal.with_user(self.head_user).action_score()
        # A manual input left empty is asked for before scoring.
        appraisal.quality_line_ids.score = 80
        with self.assertRaisesRegex(UserError, "Enter the value"):
            appraisal.with_user(self.head_user).action_score()
        appraisal.quality_line_ids.score = 0
        # Scores and values of computed KPIs follow the data.
        with self.assertRaises(UserError):
            appraisal.with_user(self.head_user).line_ids[:1].score = 100
        with self.assertRaises(UserError):
            appraisal.with_user(self.head_user).line_ids[:1].value = 5000
        # The status changes through the buttons only.
        with self.assertRaises(AccessError):
            appraisal.with_user(self.head_user).state = "approved"
        self._fill_and_score(appraisal)
        # 500 / 1000 -> 50 x 40 %; 1 / 2 orders -> 50 x 20 %; expenses at 110 %
        # between floor 120 and target 100 -> 50 x 20 %; attitude 100 x 20 %.
        self.assertEqual(appraisal.state, "scored")
        self.assertEqual(appraisal.scored_by_id, self.head_user)
        self.assertAlmostEqual(appraisal.final_score, 60.0)
        self.assertEqual(appraisal.grade_id.name, "C")
        with self.assertRaises(UserError):
            appraisal.with_user(self.head_user).quality_line_ids.score = 50
        # Only the appraised salesperson acknowledges, only a director approves.
        with self.assertRaises(AccessError):
            appraisal.with_user(self.salesperson_2).action_acknowledge()
        with self.assertRaises(UserError):
            appraisal.with_user(self.director_user).action_approve()
        appraisal.with_user(self.salesperson).action_acknowledge()
        self.assertEqual(appraisal.state, "acknowledged")
        with self.assertRaises(AccessError):
            appraisal.with_user(self.head_user).action_approve()
        # Refused back to draft with a reason, then through again.
        with self.assertRaises(UserError):
            self.env["sale.appraisal.refuse"].with_user(self.head_user).create(
                {"appraisal_id": appraisal.id, "reason": " "}
            ).action_refuse()
        self.env["sale.appraisal.refuse"].with_user(self.head_user).create(
            {"appraisal_id": appraisal.id, "reason": "Expense rate to be checked"}
        ).action_refuse()
        self.assertEqual(appraisal.state, "draft")
        self.assertEqual(appraisal.refuse_reason, "Expense rate to be checked")
        self._fill_and_score(appraisal, expense=100.0)
        self.assertAlmostEqual(appraisal.final_score, 70.0)
        appraisal.with_user(self.salesperson).action_acknowledge()
        appraisal.with_user(self.director_user).action_approve()
        self.assertEqual(appraisal.state, "approved")
        self.assertEqual(appraisal.approved_by_id, self.director_user)
        with self.assertRaises(UserError):
            appraisal.unlink()

    def test_nobody_approves_their_own_appraisal(self):
        head_template = self.template.copy({"name": "Head Quarterly", "role": "head"})
        appraisal = self.env["sale.appraisal"]._generate(
            head_template, self.director_user, *Q1
        )
        with self.assertRaises(AccessError):
            appraisal.with_user(self.director_user).line_ids[:1].value = 1
        appraisal.line_ids.filtered("is_manual_value").value = 100
        appraisal.quality_line_ids.score = 80
        appraisal.with_user(self.management_user).action_score()
        appraisal.with_user(self.director_user).action_acknowledge()
        with self.assertRaisesRegex(AccessError, "your own"):
            appraisal.with_user(self.director_user).action_approve()
        appraisal.with_user(self.management_user).action_approve()
        self.assertEqual(appraisal.state, "approved")

    def test_access_per_role(self):
        self._generate()
        outsider_appraisal = self.env["sale.appraisal"]._generate(
            self.template, self.outsider, *Q1, team=self.other_team
        )
        appraisal = self.env["sale.appraisal"]
        own = appraisal.with_user(self.salesperson).search([])
        self.assertEqual(own.user_id, self.salesperson)
        self.assertEqual(own.line_ids.with_user(self.salesperson).appraisal_id, own)
        team = appraisal.with_user(self.head_user).search([])
        self.assertEqual(team.user_id, self.salesperson | self.salesperson_2)
        self.assertEqual(
            appraisal.with_user(self.other_head).search([]), outsider_appraisal
        )
        everyone = appraisal.with_user(self.director_user).search([])
        self.assertEqual(
            everyone.user_id, self.salesperson | self.salesperson_2 | self.outsider
        )
        with self.assertRaises(AccessError):
            own.with_user(self.salesperson).write({"comment": "Great"})
        # Another head running the generation for someone else's salesperson
        # neither duplicates nor touches the appraisal.
        self._order(self.salesperson, 5, "2026-03-01 10:00:00")
        action = (
            self.env["sale.appraisal.generate"]
            .with_user(self.other_head)
            .create(
                {
                    "template_id": self.template.id,
                    "year": 2026,
                    "quarter": "1",
                    "user_ids": [Command.set(self.salesperson.ids)],
                }
            )
            .action_generate()
        )
        self.assertEqual(action["domain"], [("id", "in", [])])
        self.assertEqual(own.line_ids[:1].value, 500.0)
        self.assertEqual(
            appraisal.search_count([("user_id", "=", self.salesperson.id)]), 1
        )
        with self.assertRaises(AccessError):
            self._generate(user=self.salesperson)

    # ------------------------------------------------------------------
    # Annual roll-up, bonus and honours
    # ------------------------------------------------------------------
    def test_annual_rollup(self):
        for period in QUARTERS:
            appraisal = self._generate(period=period).filtered(
                lambda a: a.user_id == self.salesperson
            )
            self._fill_and_score(appraisal, expense=100.0)
        # Q1: 20 + 10 + 20 + 20 = 70; Q2-Q4 no sales: 0 + 0 + 20 + 20 = 40.
        finals = self.env["sale.appraisal"].search(
            [("user_id", "=", self.salesperson.id), ("period_type", "=", "quarter")]
        )
        self.assertEqual(sorted(finals.mapped("final_score")), [40, 40, 40, 70])
        annual = self.env["sale.appraisal"]._generate(
            self.annual_template, self.salesperson, date(2026, 1, 1), date(2026, 12, 31)
        )
        self.assertEqual(annual.quarter_appraisal_ids, finals)
        self.assertAlmostEqual(annual.final_score, (70 + 40 * 3) / 4)
        self.assertEqual(annual.grade_id.name, "D")

    def test_bonus_table_boundaries(self):
        company = self.env["res.company"].create({"name": "Bonus Company"})
        rules = self.env["sale.bonus.rule"].create(
            [
                {"sequence": 5, "company_id": company.id, "score_to": 60, "factor": 0},
                {
                    "sequence": 10,
                    "company_id": company.id,
                    "achievement_to": 60,
                    "factor": 0,
                },
                {
                    "sequence": 20,
                    "company_id": company.id,
                    "achievement_from": 60,
                    "achievement_to": 100,
                    "factor_type": "proportional",
                    "factor": 1,
                    "factor_min": 0.6,
                    "factor_max": 1,
                },
                {
                    "sequence": 30,
                    "company_id": company.id,
                    "achievement_from": 100,
                    "achievement_to": 150,
                    "factor_type": "proportional",
                    "factor": 1,
                    "factor_min": 1,
                    "factor_max": 1.5,
                },
                {
                    "sequence": 40,
                    "company_id": company.id,
                    "achievement_from": 150,
                    "factor": 1.5,
                },
            ]
        )

        def factor(achievement, score=80):
            rule = rules._find(achievement, score)
            return rule._get_factor(achievement) if rule else None

        self.assertEqual(factor(59.99), 0)
        self.assertAlmostEqual(factor(60), 0.6)
        self.assertAlmostEqual(factor(85), 0.85)
        self.assertAlmostEqual(factor(99.99), 0.9999)
        self.assertAlmostEqual(factor(100), 1.0)
        self.assertAlmostEqual(factor(120), 1.2)
        self.assertAlmostEqual(factor(149.99), 1.4999)
        self.assertEqual(factor(150), 1.5)
        self.assertEqual(factor(400), 1.5)
        self.assertEqual(factor(120, score=59.99), 0)
        self.assertAlmostEqual(factor(120, score=60), 1.2)
        with self.assertRaises(ValidationError):
            rules[2].achievement_to = 50

    def test_bonus_on_appraisal(self):
        self.env["sale.bonus.rule"].search(
            [("company_id", "=", self.company.id)]
        ).unlink()
        self.env["sale.bonus.rule"].create(
            {
                "company_id": self.company.id,
                "achievement_from": 0,
                "factor_type": "proportional",
                "factor": 1,
                "factor_max": 1.5,
            }
        )
        self._generate()
        appraisal = self._appraisal(self.salesperson)
        # No target achievement line on this template: 0 % -> factor 0.
        self.assertEqual(appraisal.bonus_factor, 0.0)
        self.assertEqual(appraisal.bonus_amount, 0.0)
        kpi = self.env.ref
        template = self.env["sale.appraisal.template"].create(
            {
                "name": "With Achievement",
                "bonus_base": 10000.0,
                "line_ids": [
                    Command.create(
                        {
                            "kpi_id": kpi(f"sale_process_control.sale_kpi_{code}").id,
                            "weight": 50,
                            "target_value": 100,
                            "floor_value": 60,
                        }
                    )
                    for code in ("sales_amount", "target_achievement")
                ],
            }
        )
        with_target = self.env["sale.appraisal"]._generate(
            template, self.salesperson, *Q1
        )
        with_target.line_ids.filtered(
            lambda ln: ln.kpi_id.code == "target_achievement"
        ).value = 110.0
        self.assertEqual(with_target.achievement, 110.0)
        self.assertAlmostEqual(with_target.bonus_factor, 1.1)
        self.assertAlmostEqual(with_target.bonus_amount, 11000.0)

    def test_honours(self):
        self._generate()
        self._fill_and_score(self._appraisal(self.salesperson))  # 60
        self._fill_and_score(self._appraisal(self.salesperson_2), attitude=50)  # 30
        wizard = (
            self.env["sale.honour.propose"]
            .with_user(self.head_user)
            .create({"date_from": Q1[0], "date_to": Q1[1], "star_count": 3})
        )
        honours = self.env["sale.honour"].search(wizard.action_propose()["domain"])
        champion = honours.filtered(lambda h: h.honour_type == "champion")
        self.assertEqual(champion.user_id, self.salesperson)
        self.assertEqual(
            honours.filtered(lambda h: h.rank == 2).user_id, self.salesperson_2
        )
        self.assertEqual(set(honours.mapped("state")), {"proposed"})
        with self.assertRaises(AccessError):
            champion.with_user(self.head_user).action_confirm()
        champion.with_user(self.director_user).action_confirm()
        self.assertEqual(champion.state, "confirmed")
        self.assertEqual(
            self.env["sale.honour"].with_user(self.salesperson).search([]), champion
        )
        with self.assertRaises(UserError):
            wizard.action_propose()

    def test_appraisal_sheet(self):
        self._generate()
        appraisal = self._appraisal(self.salesperson)
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        expected = "zh_CN" if "zh_CN" in installed else self.env.lang or "en_US"
        self.assertEqual(appraisal._get_print_lang(), expected)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sale_process_control.action_report_sale_appraisal", appraisal.ids
            )[0]
            .decode()
        )
        self.assertIn(self.salesperson.name, html)
        self.assertIn("Attitude", html)
