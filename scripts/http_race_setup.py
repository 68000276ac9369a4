# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
# Run through `odoo-bin shell` on the test database (scripts/run_tests.sh):
# the data of the HTTP race check (scripts/http_race_check.py). Credit control
# on alone, a customer with a limit of 1,000 and grade A, a product at 600.
from datetime import timedelta

from odoo import Command, fields

company = env.company  # noqa: F821 (odoo shell)
company.write(
    {
        "sale_credit_control_enabled": True,
        "sale_review_enabled": False,
        "sale_discount_control_enabled": False,
        "sale_contract_required": False,
    }
)
partner = env["res.partner"].create({"name": "HTTP Race Customer", "is_company": True})  # noqa: F821
partner.with_company(company).write(
    {
        "credit_limit": 1000.0,
        "credit_grade": "A",
        "credit_grade_valid_until": fields.Date.today() + timedelta(days=30),
    }
)
product = env["product.product"].create(  # noqa: F821
    {"name": "HTTP Race Product", "list_price": 600.0, "taxes_id": [Command.clear()]}
)
env.ref("base.user_admin").password = "race-admin"  # noqa: F821
env.cr.commit()  # noqa: F821
print(f"RACE-SETUP {partner.id} {product.id}")
