# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import sale_visit_compliance_report
from . import sale_receivable_open_summary
from . import sale_receivable_aging_report
from . import sale_target_month_report
from . import sale_order_statistics_summary
from . import sale_order_statistics_report
from . import sale_delivery_performance_report
