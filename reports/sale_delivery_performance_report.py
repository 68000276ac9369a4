# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models
from odoo.tools import SQL


class SaleDeliveryPerformanceReport(models.Model):
    """On-time delivery: one row per done outgoing delivery of a sales order.

    The promised date is the order's delivery date (commitment date) when one
    was promised to the customer, else the delivery's deadline, else its
    scheduled date. A delivery is on time when it was done on or before the
    promised day (days compared in UTC). On-time rate (%) = on-time deliveries
    / deliveries, over any grouping.
    """

    _name = "sale.delivery.performance.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "On-Time Delivery"
    _auto = False
    _order = "date_done desc, id desc"
    _rec_name = "picking_id"
    _depends = {
        "stock.picking": [
            "sale_id",
            "state",
            "picking_type_id",
            "date_deadline",
            "scheduled_date",
            "date_done",
        ],
        "stock.picking.type": ["code"],
        "sale.order": ["commitment_date", "company_id", "partner_id", "user_id"],
        "res.partner": ["commercial_partner_id"],
    }

    picking_id = fields.Many2one(
        "stock.picking", string="Delivery Order", readonly=True
    )
    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    date_promised = fields.Datetime(
        string="Promised Date",
        readonly=True,
        help="The order's delivery date when one was promised to the customer, "
        "else the delivery's deadline, else its scheduled date.",
    )
    date_done = fields.Datetime(string="Delivered On", readonly=True)
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    on_time_count = fields.Integer(string="On Time", readonly=True)
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )
    delay_days = fields.Integer(
        string="Days Late",
        aggregator="avg",
        readonly=True,
        help="Days between the promised day and the delivery day; negative when "
        "delivered early.",
    )

    def _query(self):
        return SQL(
            """
            SELECT sp.id AS id,
                   sp.id AS picking_id,
                   o.id AS order_id,
                   o.company_id,
                   COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                   o.user_id,
                   o.team_id,
                   d.promised AS date_promised,
                   sp.date_done,
                   1 AS delivery_count,
                   CASE WHEN sp.date_done::date <= d.promised::date
                        THEN 1 ELSE 0 END AS on_time_count,
                   CASE WHEN sp.date_done::date <= d.promised::date
                        THEN 100.0 ELSE 0.0 END AS on_time_rate,
                   sp.date_done::date - d.promised::date AS delay_days
              FROM stock_picking sp
              JOIN stock_picking_type spt
                ON spt.id = sp.picking_type_id AND spt.code = 'outgoing'
              JOIN sale_order o ON o.id = sp.sale_id
              JOIN res_partner p ON p.id = o.partner_id
             CROSS JOIN LATERAL (
                    SELECT COALESCE(o.commitment_date, sp.date_deadline,
                                    sp.scheduled_date) AS promised
                   ) d
             WHERE sp.state = 'done'
               AND sp.sale_id IS NOT NULL
            """
        )


class SaleComplaintRateReport(models.Model):
    """Complaint rate: complaints / delivered orders, per month and dimension.

    Two kinds of rows: the product lines of delivered orders (confirmed orders
    with a done delivery, dated by their first delivery) and the complaints
    (customer feedback of type complaint, not cancelled, dated when received).
    *Delivered Orders* counts distinct orders in any grouping; Complaint rate
    (%) = complaints / delivered orders, empty when nothing was delivered.
    """

    _name = "sale.complaint.rate.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "Complaint Rate"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _group_expressions = {
        "delivered_count:sum": "_delivered_count_sql",
        "complaint_rate:avg": "_complaint_rate_sql",
    }
    _depends = {
        "sale.order": [
            "state",
            "effective_date",
            "company_id",
            "partner_id",
            "user_id",
            "team_id",
        ],
        "sale.order.line": ["order_id", "product_id", "display_type"],
        "sale.customer.feedback": [
            "feedback_type",
            "state",
            "date",
            "company_id",
            "commercial_partner_id",
            "product_id",
            "user_id",
        ],
        "res.partner": ["commercial_partner_id"],
        "res.users": ["sale_team_id"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    order_id = fields.Many2one("sale.order", string="Delivered Order", readonly=True)
    feedback_id = fields.Many2one(
        "sale.customer.feedback", string="Complaint", readonly=True
    )
    delivered_count = fields.Integer(string="Delivered Orders", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_rate = fields.Float(
        string="Complaint Rate (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )

    def _delivered_count_sql(self, query):
        return SQL("COUNT(DISTINCT %s)", self._column(query, "order_id"))

    def _complaint_rate_sql(self, query):
        return SQL(
            "100.0 * SUM(%s) / NULLIF(COUNT(DISTINCT %s), 0)",
            self._column(query, "complaint_count"),
            self._column(query, "order_id"),
        )

    def _query(self):
        return SQL(
            """
            SELECT l.id * 2 AS id,
                   o.effective_date::date AS date,
                   o.company_id,
                   COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                   l.product_id,
                   o.user_id,
                   o.team_id,
                   o.id AS order_id,
                   NULL::integer AS feedback_id,
                   1 AS delivered_count,
                   0 AS complaint_count,
                   NULL::numeric AS complaint_rate
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state = 'sale'
               AND o.effective_date IS NOT NULL
               AND l.display_type IS NULL
             UNION ALL
            SELECT f.id * 2 + 1,
                   f.date::date,
                   f.company_id,
                   f.commercial_partner_id,
                   f.product_id,
                   f.user_id,
                   u.sale_team_id,
                   NULL,
                   f.id,
                   0,
                   1,
                   NULL
              FROM sale_customer_feedback f
              LEFT JOIN res_users u ON u.id = f.user_id
             WHERE f.feedback_type = 'complaint'
               AND f.state != 'cancelled'
            """
        )
