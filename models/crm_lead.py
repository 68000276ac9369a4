# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _get_conversion_by_salesperson(self, date_from, date_to, company_ids=None):
        """Opportunity conversion per salesperson over a period (R-11).

        Closed = won (active, probability 100) + lost (archived, probability 0),
        counted by their closing date in [date_from, date_to). Returns
        ``{user_id: {"won": int, "closed": int, "rate": float}}`` where rate is
        won / closed in percent (0 when nothing closed). One grouped query.
        """
        domain = [
            ("type", "=", "opportunity"),
            ("date_closed", ">=", date_from),
            ("date_closed", "<", date_to),
            "|",
            "&",
            ("active", "=", True),
            ("probability", ">=", 100),
            "&",
            ("active", "=", False),
            ("probability", "=", 0),
        ]
        if company_ids:
            domain.append(("company_id", "in", list(company_ids)))
        groups = (
            self.with_context(active_test=False)
            .sudo()
            ._read_group(domain, ["user_id", "active"], ["__count"])
        )
        result = {}
        for user, active, count in groups:
            figures = result.setdefault(user.id, {"won": 0, "closed": 0, "rate": 0.0})
            figures["closed"] += count
            if active:
                figures["won"] += count
        for figures in result.values():
            figures["rate"] = (
                figures["won"] / figures["closed"] * 100 if figures["closed"] else 0.0
            )
        return result
