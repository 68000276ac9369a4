# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SaleProcessControlCommon

SWITCHES = (
    "sale_review_enabled",
    "sale_discount_control_enabled",
    "sale_credit_control_enabled",
    "sale_contract_required",
    "sale_customer_ownership_control",
)
# Every field of the "Sales Process Control" block of the Sales settings.
SETTING_FIELDS = {
    "sale_aging_band_1",
    "sale_aging_band_2",
    "sale_aging_band_3",
    "sale_review_enabled",
    "sale_review_allow_send",
    "sale_customer_ownership_control",
    "sale_joint_review_amount",
    "sale_discount_control_enabled",
    "sale_discount_max_salesperson",
    "sale_discount_max_head",
    "sale_discount_max_director",
    "sale_discount_max_management",
    "sale_credit_control_enabled",
    "sale_credit_overdue_days",
    "sale_credit_overdue_amount",
    "sale_credit_release_tolerance",
    "sale_contract_required",
    "sale_contract_amount",
    "sale_contract_major_amount",
    "sale_contract_gate_state",
    "sale_achievement_basis",
    "sale_execution_risk_days",
}
# Values of company A in the multi-company test, all different from the
# defaults so that a leak into company B shows.
COMPANY_A_VALUES = {
    "sale_review_enabled": True,
    "sale_review_allow_send": True,
    "sale_customer_ownership_control": True,
    "sale_joint_review_amount": 250000.0,
    "sale_discount_control_enabled": True,
    "sale_discount_max_salesperson": 3.0,
    "sale_discount_max_head": 8.0,
    "sale_discount_max_director": 12.0,
    "sale_discount_max_management": 20.0,
    "sale_credit_control_enabled": True,
    "sale_credit_overdue_days": 45,
    "sale_credit_overdue_amount": 1500.0,
    "sale_credit_release_tolerance": 2.5,
    "sale_contract_required": True,
    "sale_contract_amount": 80000.0,
    "sale_contract_major_amount": 900000.0,
    "sale_contract_gate_state": "approved",
    "sale_achievement_basis": "invoice",
}
THRESHOLDS = (
    "sale_joint_review_amount",
    "sale_credit_overdue_days",
    "sale_credit_overdue_amount",
    "sale_credit_release_tolerance",
    "sale_contract_amount",
    "sale_contract_major_amount",
)


@tagged("post_install", "-at_install")
class TestSettings(SaleProcessControlCommon):
    """The controls are set per company, off by default, by administrators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "SPC Company A"})
        cls.company_b = cls.env["res.company"].create({"name": "SPC Company B"})
        # Settings are saved by administrators; the Sales block of the
        # settings is shown to Sales administrators only.
        cls.settings_admin = new_test_user(
            cls.env,
            "spc_settings_admin",
            groups="base.group_system,sales_team.group_sale_manager",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a + cls.company_b).ids)],
        )

    def _settings(self, company, values=None):
        """Settings of ``company`` as the settings administrator opens them;
        with ``values``, saved as the web client saves them."""
        settings = (
            self.env["res.config.settings"]
            .with_user(self.settings_admin)
            .with_company(company)
            .create(values or {})
        )
        if values:
            settings.execute()
        return settings

    def _company_values(self, company):
        company.invalidate_recordset()
        return {name: company[name] for name in COMPANY_A_VALUES}

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------
    def test_switches_off_on_new_company(self):
        company = self.env["res.company"].create({"name": "SPC New Company"})
        for switch in SWITCHES:
            with self.subTest(switch=switch):
                self.assertFalse(company[switch])
        self.assertFalse(company.sale_review_allow_send)
        ladder = [value for _role, value in company._get_sale_discount_ladder()]
        self.assertEqual(ladder, [5.0, 10.0, 15.0, 30.0])
        self.assertEqual(company.sale_contract_gate_state, "signed")
        self.assertEqual(company.sale_achievement_basis, "order")

    def test_switches_off_on_main_company(self):
        main_company = self.env.ref("base.main_company")
        for switch in SWITCHES:
            with self.subTest(switch=switch):
                self.assertFalse(main_company[switch])

    # ------------------------------------------------------------------
    # Settings are per company
    # ------------------------------------------------------------------
    def test_settings_write_current_company_only(self):
        company_b_before = self._company_values(self.company_b)
        settings = self._settings(self.company_a, COMPANY_A_VALUES)
        self.assertEqual(settings.company_id, self.company_a)

        self.assertEqual(self._company_values(self.company_a), COMPANY_A_VALUES)
        self.assertEqual(self._company_values(self.company_b), company_b_before)
        for switch in SWITCHES:
            with self.subTest(switch=switch):
                self.assertFalse(self.company_b[switch])

    def test_settings_read_current_company(self):
        self.company_a.write(COMPANY_A_VALUES)
        self.company_b.write(
            {
                "sale_credit_control_enabled": True,
                "sale_credit_overdue_days": 60,
                "sale_discount_max_salesperson": 7.0,
                "sale_achievement_basis": "order",
            }
        )
        settings_b = self._settings(self.company_b)
        self.assertEqual(settings_b.company_id, self.company_b)
        self.assertTrue(settings_b.sale_credit_control_enabled)
        self.assertEqual(settings_b.sale_credit_overdue_days, 60)
        self.assertEqual(settings_b.sale_discount_max_salesperson, 7.0)
        self.assertEqual(settings_b.sale_achievement_basis, "order")
        self.assertFalse(settings_b.sale_review_enabled)
        self.assertFalse(settings_b.sale_contract_required)

        settings_a = self._settings(self.company_a)
        for name, value in COMPANY_A_VALUES.items():
            with self.subTest(field=name):
                self.assertEqual(settings_a[name], value)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def test_discount_ladder_must_not_decrease(self):
        with self.assertRaises(ValidationError):
            self.company_a.write(
                {"sale_discount_max_head": 4.0}  # below the salesperson's 5 %
            )
        with self.assertRaises(ValidationError):
            self.company_a.write(
                {"sale_discount_max_management": 12.0}  # below the director's 15 %
            )
        # The same limit for several roles is allowed.
        self.company_a.write(
            {
                "sale_discount_max_salesperson": 10.0,
                "sale_discount_max_head": 10.0,
                "sale_discount_max_director": 10.0,
                "sale_discount_max_management": 10.0,
            }
        )
        self.assertEqual(
            [value for _role, value in self.company_a._get_sale_discount_ladder()],
            [10.0, 10.0, 10.0, 10.0],
        )

    def test_discount_ladder_through_settings(self):
        with self.assertRaises(ValidationError):
            self._settings(
                self.company_a,
                {
                    "sale_discount_max_director": 25.0,
                    "sale_discount_max_management": 20.0,
                },
            )
        self.assertEqual(self.company_a.sale_discount_max_director, 15.0)
        self.assertEqual(self.company_a.sale_discount_max_management, 30.0)

    def test_discount_authority_switches_on_line_discounts(self):
        group = self.env.ref("sale.group_discount_per_so_line")
        employee = self.env.ref("base.group_user")
        employee._remove_group(group)
        self.assertFalse(self.sale_user.has_group("sale.group_discount_per_so_line"))
        # Through the settings, with Odoo's Discounts box left unticked.
        self._settings(
            self.company_a,
            {
                "sale_discount_control_enabled": True,
                "group_discount_per_so_line": False,
            },
        )
        self.assertIn(group, employee.implied_ids)
        self.assertTrue(self.sale_user.has_group("sale.group_discount_per_so_line"))
        # Directly on the company (an import, a data file).
        employee._remove_group(group)
        self.company_a.sale_discount_control_enabled = False
        self.company_a.sale_discount_control_enabled = True
        self.assertIn(group, employee.implied_ids)

    def test_discount_ladder_within_percent_range(self):
        for name, value in (
            ("sale_discount_max_salesperson", -1.0),
            ("sale_discount_max_management", 100.5),
        ):
            with self.subTest(field=name, value=value):
                with self.assertRaises(ValidationError):
                    self.company_a.write({name: value})
        self.company_a.write(
            {
                "sale_discount_max_salesperson": 0.0,
                "sale_discount_max_management": 100.0,
            }
        )
        self.assertEqual(self.company_a.sale_discount_max_management, 100.0)

    def test_negative_thresholds_refused(self):
        for name in THRESHOLDS:
            with self.subTest(field=name):
                with self.assertRaises(ValidationError):
                    self.company_a.write({name: -1})
        self.company_a.write(dict.fromkeys(THRESHOLDS, 0))
        for name in THRESHOLDS:
            self.assertEqual(self.company_a[name], 0)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_sales_roles_cannot_write_switches(self):
        company = self.env.company
        for user in (self.sale_user, self.head_user, self.management_user):
            for switch in SWITCHES:
                with self.subTest(user=user.login, switch=switch):
                    with self.assertRaises(AccessError):
                        company.with_user(user).write({switch: True})
            with self.subTest(user=user.login, settings=True):
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"sale_review_enabled": True}
                    )
        for switch in SWITCHES:
            self.assertFalse(company[switch])

    def test_sales_roles_read_switches(self):
        # The controls read the switches as the user who acts.
        company = self.env.company
        company.sale_review_enabled = True
        self.assertTrue(company.with_user(self.sale_user).sale_review_enabled)
        self.assertTrue(company.with_user(self.head_user).sale_review_enabled)

    # ------------------------------------------------------------------
    # View
    # ------------------------------------------------------------------
    def test_settings_view_block(self):
        views = (
            self.env["res.config.settings"]
            .with_user(self.settings_admin)
            .get_views([(False, "form")])
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        blocks = arch.xpath("//block[@name='sale_process_control_setting_container']")
        self.assertEqual(
            len(blocks), 1, "the settings show one Sales Process Control block"
        )
        block = blocks[0]
        self.assertEqual(block.get("title"), "Sales Process Control")
        self.assertEqual(
            [app.get("name") for app in block.iterancestors("app")],
            ["sale_management"],
            "the block sits in the Sales settings",
        )
        self.assertEqual(
            {field.get("name") for field in block.iter("field")}, SETTING_FIELDS
        )
        for setting in block.iter("setting"):
            with self.subTest(setting=setting.get("id")):
                self.assertEqual(setting.get("company_dependent"), "1")
