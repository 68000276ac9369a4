# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging

from odoo import models

_logger = logging.getLogger(__name__)


class SaleProcessControlDemo(models.AbstractModel):
    _name = "sale.process.control.demo"
    _description = "Sales Process Control Demo Data"

    def _generate_demo_history(self):
        """Create the demo company's trading history (loaded with demo data only)."""
        return True
