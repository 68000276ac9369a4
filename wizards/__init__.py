# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import base_partner_merge
from . import sale_approval_decide
from . import sale_customer_statement
from . import sale_contract_sign
from . import sale_appraisal_generate
from . import sale_target_decompose
