# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from . import models
from . import reports
from . import wizards


def uninstall_hook(env):
    """Remove the database triggers of the order statistics' summary: they
    write into a table that goes with the module."""
    from .reports.sale_order_statistics_summary import SaleOrderStatisticsCell

    SaleOrderStatisticsCell._drop_triggers(env.cr)
