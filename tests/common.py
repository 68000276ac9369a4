# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import new_test_user

from odoo.addons.sale.tests.common import SaleCommon

# Every role of the module, by the attribute of the test user that holds it.
# Salespeople are SaleCommon's sale_user (own documents only), Sales
# administrators its sale_manager.
ROLE_GROUPS = {
    "head_user": "sale_process_control.group_sale_department_head",
    "director_user": "sale_process_control.group_sale_director",
    "management_user": "sale_process_control.group_sale_management",
    "technical_user": "sale_process_control.group_sale_reviewer_technical",
    "production_user": "sale_process_control.group_sale_reviewer_production",
    "finance_user": "sale_process_control.group_sale_reviewer_finance",
    "legal_user": "sale_process_control.group_sale_reviewer_legal",
    "service_user": "sale_process_control.group_sale_customer_service",
    "supervision_user": "sale_process_control.group_sale_supervision",
}


def load_chinese(env, overwrite=False):
    """Activate Simplified Chinese with the module's translations, as a
    database where it is installed has them."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms(
        ["sale_process_control"], ["zh_CN"], overwrite=overwrite
    )


class SaleProcessControlCommon(SaleCommon):
    """Sales data of SaleCommon plus one user for each role of the module.

    Each user holds only the group of its role (and what that group implies),
    so tests act with the least privileges a real user of that role has.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for attribute, group in ROLE_GROUPS.items():
            setattr(
                cls,
                attribute,
                cls._create_role_user(f"spc_{attribute.removesuffix('_user')}", group),
            )

    @classmethod
    def _create_role_user(cls, login, groups, company=None):
        """Create a user of the current (or given) company with ``groups``."""
        company = company or cls.env.company
        return new_test_user(cls.env, login, groups=groups, company_id=company.id)
