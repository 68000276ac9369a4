# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import test_sale_order_review
from . import test_sale_review_rule
from . import test_sale_price_change
from . import test_crm_conversion
from . import test_sale_order_gate_queries
from . import test_customer_tier
from . import test_customer_file
from . import test_credit_control
from . import test_credit_race
from . import test_sale_order_access
from . import test_sale_contract
from . import test_tours_credit_contract
from . import test_tour_tier_review
from . import test_sale_order_review_tour
from . import test_settings
from . import test_roles_menus
from . import test_translations
from . import test_tour
from . import test_sale_visit
from . import test_sale_customer_feedback
from . import test_sale_visit_compliance
from . import test_receivable_aging
from . import test_collection_plan
from . import test_customer_statement
from . import test_sale_statistics
from . import test_sale_period_report
