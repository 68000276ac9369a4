# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import models
from . import reports
from . import wizards


def uninstall_hook(env):
    """Remove the database triggers of the order statistics' and the open
    receivables' summaries: they write into tables that go with the module."""
    from .reports.sale_order_statistics_summary import SaleOrderStatisticsCell
    from .reports.sale_receivable_open_summary import SaleReceivableOpenCell

    SaleOrderStatisticsCell._drop_triggers(env.cr)
    SaleReceivableOpenCell._drop_triggers(env.cr)
