# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Age bands of the receivable aging report, oldest last. The keys sort in this
# order, so that grouping by band lists the bands from "not due" to the oldest.
AGING_BANDS = [
    "0_not_due",
    "1_due_today",
    "2_band_1",
    "3_band_2",
    "4_band_3",
    "5_older",
]


class ResCompany(models.Model):
    _inherit = "res.company"

    # The receivable aging report reads these in SQL, per company of each line.
    sale_aging_band_1 = fields.Integer(
        string="Aging Band 1 (Days)",
        default=30,
        help="Receivables overdue from 1 day up to this many days fall in the "
        "first band.",
    )
    sale_aging_band_2 = fields.Integer(
        string="Aging Band 2 (Days)",
        default=60,
        help="Last day overdue of the second band.",
    )
    sale_aging_band_3 = fields.Integer(
        string="Aging Band 3 (Days)",
        default=90,
        help="Last day overdue of the third band; older receivables fall in the "
        "last band.",
    )

    @api.constrains("sale_aging_band_1", "sale_aging_band_2", "sale_aging_band_3")
    def _check_sale_aging_bands(self):
        for company in self:
            if not (
                0
                < company.sale_aging_band_1
                < company.sale_aging_band_2
                < company.sale_aging_band_3
            ):
                raise ValidationError(
                    self.env._(
                        "The aging bands of %(company)s must be positive numbers of "
                        "days that increase from the first band to the third.",
                        company=company.display_name,
                    )
                )

    def _get_sale_aging_band_labels(self):
        """Labels of the aging bands, by band key, with this company's limits."""
        self.ensure_one()
        band_1, band_2, band_3 = (
            self.sale_aging_band_1,
            self.sale_aging_band_2,
            self.sale_aging_band_3,
        )
        return {
            "0_not_due": self.env._("Not Due"),
            "1_due_today": self.env._("Due Today"),
            "2_band_1": self.env._("%(start)s-%(end)s Days", start=1, end=band_1),
            "3_band_2": self.env._(
                "%(start)s-%(end)s Days", start=band_1 + 1, end=band_2
            ),
            "4_band_3": self.env._(
                "%(start)s-%(end)s Days", start=band_2 + 1, end=band_3
            ),
            "5_older": self.env._("Over %(days)s Days", days=band_3),
        }


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sale_aging_band_1 = fields.Integer(
        related="company_id.sale_aging_band_1",
        readonly=False,
    )
    sale_aging_band_2 = fields.Integer(
        related="company_id.sale_aging_band_2",
        readonly=False,
    )
    sale_aging_band_3 = fields.Integer(
        related="company_id.sale_aging_band_3",
        readonly=False,
    )
