# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestCustomerFile(SaleCommon):
    """R-03/R-04: completeness from configurable items, submit, verify, reopen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "spc_file_sales", groups="sales_team.group_sale_salesman"
        )
        cls.head = new_test_user(
            cls.env,
            "spc_file_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.env["crm.team"].create(
            {
                "name": "File Team",
                "user_id": cls.head.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "File Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson.id,
            }
        )

    def _complete(self, partner):
        partner.write(
            {
                "legal_representative": "王总",
                "street": "88 Century Avenue",
                "phone": "021-1234",
                "need_function": "CNC precision 0.01 mm",
                "need_quality": "ISO 9001",
                "need_price": "Annual frame price",
                "need_service": "On-site service in 24 h",
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Ms Li",
                "parent_id": partner.id,
                "function": "Purchasing manager",
                "is_decision_maker": True,
            }
        )

    def test_completeness_lists_missing_items(self):
        self.assertLess(self.customer.file_completeness, 100)
        missing = self.customer.file_missing
        for label in ("Legal representative", "Decision maker", "Service expectations"):
            self.assertIn(label, missing)
        self.customer.legal_representative = "王总"
        self.assertNotIn("Legal representative", self.customer.file_missing)
        self._complete(self.customer)
        self.assertEqual(self.customer.file_completeness, 100)
        self.assertFalse(self.customer.file_missing)

    def test_required_items_are_configurable(self):
        items = self.env["sale.customer.file.item"].search([])
        items.filtered(lambda i: i.check != "decision_contact").active = False
        self.assertEqual(self.customer.file_missing, "Decision maker")
        self.assertEqual(self.customer.file_completeness, 0)

    def test_submit_verify_and_reopen_after_key_edit(self):
        customer = self.customer.with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "Complete the file"):
            customer.action_submit_file()
        self._complete(self.customer)
        customer.action_submit_file()
        self.assertEqual(self.customer.file_state, "submitted")
        with self.assertRaises(UserError):
            customer.action_verify_file()
        self.customer.with_user(self.head).action_verify_file()
        self.assertEqual(self.customer.file_state, "verified")
        self.assertEqual(self.customer.file_verified_by_id, self.head)

        customer.write({"comment": "Met at the fair"})
        self.assertEqual(self.customer.file_state, "verified", "a note is not key data")
        customer.write({"legal_representative": "李总"})
        self.assertEqual(self.customer.file_state, "draft")
        self.assertFalse(self.customer.file_verified_by_id)
        self.assertIn("Legal Representative", self.customer.message_ids[0].body)

    def test_file_status_cannot_be_written_directly(self):
        with self.assertRaises(UserError):
            self.customer.with_user(self.salesperson).write({"file_state": "verified"})

    def test_salesperson_cannot_verify_own_customer_even_as_head(self):
        head_customer = self.env["res.partner"].create(
            {
                "name": "Head's own",
                "is_company": True,
                "customer_rank": 1,
                "user_id": self.head.id,
            }
        )
        self._complete(head_customer)
        head_customer.with_user(self.head).action_submit_file()
        with self.assertRaisesRegex(UserError, "another department head"):
            head_customer.with_user(self.head).action_verify_file()

    def test_file_kept_by_salesperson_team_head_and_director(self):
        """Another salesperson, or the head of another team, neither edits,
        submits nor verifies the file; the salesperson, their head and a
        director do."""
        other_salesperson = new_test_user(
            self.env, "spc_file_sales2", groups="sales_team.group_sale_salesman"
        )
        other_head = new_test_user(
            self.env,
            "spc_file_head2",
            groups="sale_process_control.group_sale_department_head",
        )
        director = new_test_user(
            self.env,
            "spc_file_director",
            groups="sale_process_control.group_sale_director",
        )
        for user in (other_salesperson, other_head):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "is kept by"):
                    self.customer.with_user(user).write({"need_price": "Cheaper"})
                with self.assertRaisesRegex(AccessError, "is kept by"):
                    self.customer.with_user(user).action_submit_file()
        self.assertFalse(self.customer.need_price)
        # Odoo's own fields stay open to every salesperson.
        self.customer.with_user(other_salesperson).write({"comment": "Seen at a fair"})
        self._complete(self.customer)
        self.customer.with_user(self.salesperson).write({"need_price": "Frame price"})
        self.customer.with_user(self.salesperson).action_submit_file()
        with self.assertRaisesRegex(AccessError, "is kept by"):
            self.customer.with_user(other_head).action_verify_file()
        self.assertEqual(self.customer.file_state, "submitted")
        self.customer.with_user(director).action_verify_file()
        self.assertEqual(self.customer.file_state, "verified")
        self.customer.with_user(self.head).write({"need_service": "48 h on site"})
        self.assertEqual(self.customer.file_state, "draft", "a key edit reopens it")
