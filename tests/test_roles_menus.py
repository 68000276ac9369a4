# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from .common import SaleProcessControlCommon

SECTIONS = (
    "customer_visit_menu",
    "review_menu",
    "credit_menu",
    "contract_menu",
    "performance_menu",
    "supervision_menu",
    "configuration_menu",
)
# Salespeople draft the contracts of their orders and follow their customers'
# credit, so every sales role sees the Contracts and Credit sections (with the
# entries its rights allow). Every sales role also sees Performance, for its
# own targets; Sales Analysis is for heads.
HEAD_SECTIONS = {
    "customer_visit_menu",
    "review_menu",
    "credit_menu",
    "contract_menu",
    "performance_menu",
}
EXPECTED_SECTIONS = {
    "sale_user": {
        "customer_visit_menu",
        "credit_menu",
        "contract_menu",
        "performance_menu",
    },
    "head_user": HEAD_SECTIONS,
    "director_user": HEAD_SECTIONS,
    "management_user": HEAD_SECTIONS,
    "technical_user": {
        "customer_visit_menu",
        "credit_menu",
        "review_menu",
        "contract_menu",
        "performance_menu",
    },
    "production_user": {
        "customer_visit_menu",
        "credit_menu",
        "review_menu",
        "contract_menu",
        "performance_menu",
    },
    "finance_user": {
        "customer_visit_menu",
        "review_menu",
        "credit_menu",
        "contract_menu",
        "performance_menu",
    },
    "legal_user": {
        "customer_visit_menu",
        "credit_menu",
        "review_menu",
        "contract_menu",
        "performance_menu",
    },
    "service_user": {
        "customer_visit_menu",
        "credit_menu",
        "contract_menu",
        "performance_menu",
    },
    "supervision_user": {
        "customer_visit_menu",
        "credit_menu",
        "contract_menu",
        "performance_menu",
        "supervision_menu",
    },
    "sale_manager": set(SECTIONS),
}


@tagged("post_install", "-at_install")
class TestRolesMenus(SaleProcessControlCommon):
    """Roles imply each other as designed and see only their sections."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "SPC Menu Customer", "is_company": True, "customer_rank": 1}
        )
        cls.quotation = cls.env["sale.order"].create(
            {"partner_id": cls.customer.id, "user_id": cls.sale_user.id}
        )

    def setUp(self):
        super().setUp()
        self.opened = {}

    def _group(self, xmlid):
        if "." not in xmlid:
            xmlid = f"sale_process_control.{xmlid}"
        return self.env.ref(xmlid)

    def _menu(self, xmlid):
        return self.env.ref(f"sale_process_control.{xmlid}")

    def _client_eval_context(self, user):
        """What the web client evaluates action domains and contexts with."""
        today = fields.Date.context_today(user)
        return {
            "uid": user.id,
            "lang": user.lang,
            "tz": user.tz,
            "allowed_company_ids": user.company_ids.ids,
            "context_today": lambda: today,
            "today": today.isoformat(),
            "now": fields.Datetime.to_string(fields.Datetime.now()),
            "current_date": today.isoformat(),
            "time": time,
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
        }

    # ------------------------------------------------------------------
    # Groups
    # ------------------------------------------------------------------
    def test_role_groups_implications(self):
        implications = {
            "group_sale_department_head": "sales_team.group_sale_salesman_all_leads",
            "group_sale_director": "group_sale_department_head",
            "group_sale_management": "group_sale_director",
            "group_sale_reviewer_technical": "sales_team.group_sale_salesman",
            "group_sale_reviewer_production": "sales_team.group_sale_salesman",
            "group_sale_reviewer_finance": "sales_team.group_sale_salesman",
            "group_sale_reviewer_legal": "sales_team.group_sale_salesman",
            "group_sale_customer_service": "sales_team.group_sale_salesman",
            "group_sale_supervision": "sales_team.group_sale_salesman_all_leads",
        }
        for group, implied in implications.items():
            with self.subTest(group=group):
                self.assertIn(self._group(implied), self._group(group).implied_ids)
        manager = self.env.ref("sales_team.group_sale_manager")
        self.assertIn(self._group("group_sale_management"), manager.implied_ids)
        self.assertIn(self._group("group_sale_supervision"), manager.implied_ids)
        # The whole management line is reached from the top.
        management_closure = self._group("group_sale_management").trans_implied_ids
        for implied in (
            "group_sale_director",
            "group_sale_department_head",
            "sales_team.group_sale_salesman_all_leads",
            "sales_team.group_sale_salesman",
        ):
            with self.subTest(implied_by_management=implied):
                self.assertIn(self._group(implied), management_closure)
        # Reviewer roles do not open the management line.
        for reviewer in (
            "group_sale_reviewer_technical",
            "group_sale_reviewer_finance",
            "group_sale_customer_service",
            "group_sale_supervision",
        ):
            with self.subTest(reviewer=reviewer):
                self.assertNotIn(
                    self._group("group_sale_department_head"),
                    self._group(reviewer).trans_implied_ids,
                )

    def test_role_users_hold_their_roles(self):
        self.assertTrue(self.director_user.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(
            self.director_user.has_group(
                "sale_process_control.group_sale_department_head"
            )
        )
        self.assertFalse(
            self.head_user.has_group("sale_process_control.group_sale_director")
        )
        self.assertFalse(
            self.sale_user.has_group("sale_process_control.group_sale_department_head")
        )
        self.assertTrue(
            self.sale_manager.has_group("sale_process_control.group_sale_management")
        )
        self.assertTrue(
            self.sale_manager.has_group("sale_process_control.group_sale_supervision")
        )
        self.assertFalse(
            self.finance_user.has_group("sales_team.group_sale_salesman_all_leads")
        )

    # ------------------------------------------------------------------
    # Menus
    # ------------------------------------------------------------------
    def test_sections_per_role(self):
        section_ids = {self._menu(xmlid).id: xmlid for xmlid in SECTIONS}
        for attribute, expected in EXPECTED_SECTIONS.items():
            user = getattr(self, attribute)
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            shown = {
                xmlid for menu_id, xmlid in section_ids.items() if menu_id in visible
            }
            with self.subTest(role=attribute):
                self.assertEqual(shown, expected)

    def test_sections_in_loaded_menus(self):
        # What the web client receives: the sections hang under the Sales app.
        sales_root = self.env.ref("sale.sale_menu_root")
        for attribute in ("sale_user", "head_user", "sale_manager"):
            user = getattr(self, attribute)
            menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
            children = {
                menus[child_id]["xmlid"]
                for child_id in menus[sales_root.id]["children"]
            }
            expected = {
                f"sale_process_control.{xmlid}"
                for xmlid in EXPECTED_SECTIONS[attribute] - {"configuration_menu"}
            }
            ours = {
                xmlid for xmlid in children if xmlid.startswith("sale_process_control.")
            }
            with self.subTest(role=attribute):
                self.assertEqual(ours, expected)

    def test_section_actions_open(self):
        """Every entry a role sees in its sections opens as the web client
        opens it: evaluate the action, load its views, read its first page."""
        Menu = self.env["ir.ui.menu"]
        for attribute, expected in EXPECTED_SECTIONS.items():
            user = getattr(self, attribute)
            visible = Menu.with_user(user)._visible_menu_ids()
            entries = Menu.search(
                [("id", "child_of", [self._menu(xmlid).id for xmlid in expected])]
            ).filtered(lambda menu, visible=visible: menu.id in visible and menu.action)
            self.assertTrue(entries, f"{attribute} has entries in its sections")
            for menu in entries:
                with self.subTest(role=attribute, menu=menu.complete_name):
                    self.opened[attribute, menu] = self._open_action(user, menu.action)
        # The records made for this test show where each role looks for them.
        for attribute in EXPECTED_SECTIONS:
            with self.subTest(role=attribute, customers=True):
                self.assertTrue(
                    self._lists(attribute, "customer_menu", self.customer),
                    f"{attribute} finds the customer under Customers",
                )
        for attribute in ("head_user", "director_user", "sale_manager"):
            with self.subTest(role=attribute, quotations=True):
                self.assertTrue(
                    self._lists(attribute, "order_review_menu", self.quotation),
                    f"{attribute} finds the quotation under Quotations to Review",
                )
        # Salespeople never see the review list; supervision sees every order.
        self.assertNotIn(("sale_user", self._menu("order_review_menu")), self.opened)
        self.assertTrue(
            self._lists("supervision_user", "order_supervision_menu", self.quotation)
        )

    def _lists(self, attribute, menu_xmlid, record):
        """Whether ``record`` is among what the role's entry lists."""
        Model, domain = self.opened[attribute, self._menu(menu_xmlid)]
        return bool(Model.search_count(domain + [("id", "=", record.id)]))

    def _open_action(self, user, action):
        """Open the menu's ``action`` as the web client does for ``user``;
        return the model (as ``user``) and the evaluated domain."""
        action = action.sudo()
        if action._name == "ir.actions.client":
            # The dashboard draws its own screen from one server call.
            self.assertEqual(action.tag, "sale_process_control.dashboard")
            Dashboard = self.env["sale.dashboard"].with_user(user)
            self.assertIn("trend", Dashboard.get_dashboard_data("month"))
            return Dashboard, []
        if action._name == "ir.actions.server":
            # The web client runs server actions as the user, then opens
            # the window action they return.
            values = action.with_user(user).run()
            self.assertEqual(values["type"], "ir.actions.act_window")
        else:
            self.assertEqual(action._name, "ir.actions.act_window")
            values = {
                "res_model": action.res_model,
                "res_id": action.res_id,
                "domain": action.domain,
                "context": action.context,
                "views": action.views,
            }
        eval_context = self._client_eval_context(user)
        domain = values.get("domain") or []
        if isinstance(domain, str):
            domain = safe_eval(domain, eval_context)
        context = values.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, eval_context)
        views = values.get("views") or [
            (False, view_type) for view_type in values["view_mode"].split(",")
        ]
        if values.get("res_id"):
            views = [view for view in views if view[1] == "form"]
        view_id, view_type = views[0]
        Model = self.env[values["res_model"]].with_user(user).with_context(**context)
        Model.get_views([[False, "search"]])
        result = Model.get_views([[view_id, view_type]])
        view_fields = result["models"][Model._name]["fields"]
        specification = dict.fromkeys(view_fields, {})
        if values.get("res_id"):
            Model.browse(values["res_id"]).web_read(specification)
        elif Model._transient:
            # Settings open on a new record.
            Model.check_access("create")
        else:
            Model.web_search_read(domain, specification, limit=80)
        return Model, domain
