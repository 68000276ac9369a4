# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import crm_lead
from . import product_template
from . import res_company
from . import res_company_aging
from . import res_partner
from . import res_partner_visit
from . import res_config_settings
from . import sale_approval
from . import sale_approval_mixin
from . import sale_collection_plan
from . import sale_customer_feedback
from . import sale_customer_file_item
from . import sale_customer_tier
from . import sale_customer_tier_history
from . import sale_order
from . import sale_price_change
from . import sale_process_control_demo
from . import sale_review_rule
from . import sale_tier_review
from . import sale_visit
