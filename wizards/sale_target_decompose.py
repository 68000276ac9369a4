# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from ..models.sale_target import MONTHS, QUARTERS, period_dates
from ..models.sale_tools import ensure_one_record

DECOMPOSE_SPLITS = [
    ("quarter", "Quarters"),
    ("month", "Months"),
    ("quarter_month", "Quarters, then months"),
    ("team", "Sales teams"),
    ("user", "Salespeople"),
]
DECOMPOSE_METHODS = [
    ("even", "Evenly"),
    ("seasonality", "Last year's seasonality"),
    ("share", "Last year's share"),
    ("weights", "Weights"),
]
PERIOD_SPLITS = ("quarter", "month", "quarter_month")
# Start of the history a seasonality split looks for a first sale in.
HISTORY_START = date(1900, 1, 1)


def split_amount(total, weights, rounding):
    """Split ``total`` in proportion to ``weights``, each part rounded to
    ``rounding``; the rounding remainder goes to the last part, so the parts add
    up to ``total`` exactly. Zero weights everywhere split evenly."""
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    parts = [
        float_round(total * weight / weight_sum, precision_rounding=rounding)
        for weight in weights[:-1]
    ]
    parts.append(float_round(total - sum(parts), precision_rounding=rounding))
    return parts


class SaleTargetDecompose(models.TransientModel):
    """Split a target into children: an annual target into quarters and/or
    months, a quarter into months, or any target across sales teams or
    salespeople. Amounts are rounded to the currency and the rounding remainder
    goes to the last child, so the children add up to the parent exactly."""

    _name = "sale.target.decompose"
    _description = "Decompose a Target"

    target_id = fields.Many2one("sale.target", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="target_id.currency_id")
    split = fields.Selection(
        DECOMPOSE_SPLITS,
        string="Split Into",
        required=True,
        default="quarter",
    )
    method = fields.Selection(
        DECOMPOSE_METHODS,
        required=True,
        default="even",
        help="Seasonality: the parent's revenue per month of last year (evenly "
        "when there is none). Share: each team's or salesperson's revenue of the "
        "same period last year (evenly when there is none). Weights: the weights "
        "of the lines.",
    )
    line_ids = fields.One2many(
        "sale.target.decompose.line",
        "wizard_id",
        string="Lines",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("target_id", "split")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create(vals) for vals in wizard._get_default_lines()
            ]

    # ------------------------------------------------------------------
    # Lines
    # ------------------------------------------------------------------
    def _get_default_lines(self):
        self.ensure_one()
        target = self.target_id
        if not target or not self.split:
            return []
        if self.split in PERIOD_SPLITS:
            return [
                {"sequence": number, "name": label, "period_number": number}
                for number, label in self._get_period_labels()
            ]
        if self.split == "team":
            teams = self.env["crm.team"].search(
                [("company_id", "in", (target.company_id.id, False))]
            )
            return [
                {"sequence": index, "name": team.name, "team_id": team.id}
                for index, team in enumerate(teams)
            ]
        users = target.team_id.member_ids if target.team_id else self.env["res.users"]
        if not users:
            users = self.env["res.users"].search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", target.company_id.id),
                    (
                        "groups_id",
                        "in",
                        self.env.ref("sales_team.group_sale_salesman").id,
                    ),
                ]
            )
        return [
            {"sequence": index, "name": user.name, "user_id": user.id}
            for index, user in enumerate(users)
        ]

    def _get_period_labels(self):
        """(number, label) of the quarters or months the lines weigh."""
        if self.split == "quarter":
            return [(int(key), label) for key, label in QUARTERS]
        months = self._get_months()
        labels = dict(MONTHS)
        return [(month, labels[str(month)]) for month in months]

    def _get_months(self):
        if self.target_id.period_type == "quarter":
            first = 3 * (int(self.target_id.quarter) - 1) + 1
            return list(range(first, first + 3))
        return list(range(1, 13))

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------
    def action_apply(self):
        ensure_one_record(self)
        target = self.target_id
        target.check_access("write")
        self._check_can_decompose()
        if self.split in PERIOD_SPLITS:
            vals_list = self._prepare_period_children()
        else:
            vals_list = self._prepare_member_children()
        children = self.env["sale.target"].create(vals_list)
        target.message_post(
            body=self.env._("Decomposed into %(count)s targets.", count=len(children))
        )
        return target.action_view_children()

    def _check_can_decompose(self):
        target = self.target_id
        if target.child_ids:
            raise UserError(
                self.env._(
                    "Target %(target)s already has children. Delete them before "
                    "decomposing it again.",
                    target=target.display_name,
                )
            )
        if self.split in PERIOD_SPLITS:
            allowed = {
                "year": ("quarter", "month", "quarter_month"),
                "quarter": ("month",),
            }.get(target.period_type, ())
            if self.split not in allowed:
                raise UserError(
                    self.env._(
                        "An annual target splits into quarters and months, a "
                        "quarter into months; split a month across teams or "
                        "salespeople instead."
                    )
                )
            if self.method == "share":
                raise UserError(
                    self.env._(
                        "Last year's share splits across teams or salespeople; "
                        "choose evenly, seasonality or weights for periods."
                    )
                )
        else:
            if self.method == "seasonality":
                raise UserError(
                    self.env._(
                        "Seasonality splits periods; choose evenly, last year's "
                        "share or weights for teams and salespeople."
                    )
                )
            if not self.line_ids:
                raise UserError(
                    self.env._("Add a line for each team or salesperson to share in.")
                )

    def _prepare_period_children(self):
        target = self.target_id
        month_weights = self._get_month_weights()
        rounding = target.currency_id.rounding
        if self.split == "month":
            return self._prepare_month_vals(
                target, target.amount, target.quantity, month_weights
            )
        quarter_weights = {
            quarter: sum(
                month_weights[m] for m in range(3 * quarter - 2, 3 * quarter + 1)
            )
            for quarter in range(1, 5)
        }
        if self.method == "weights" and self.split == "quarter":
            quarter_weights = {
                line.period_number: line.weight for line in self.line_ids
            }
        quarters = sorted(quarter_weights)
        weights = [quarter_weights[q] for q in quarters]
        amounts = split_amount(target.amount, weights, rounding)
        quantities = split_amount(target.quantity, weights, self._quantity_rounding())
        vals_list = []
        for quarter, amount, quantity in zip(
            quarters, amounts, quantities, strict=True
        ):
            vals = self._prepare_child_vals(
                target,
                amount,
                quantity,
                period_type="quarter",
                quarter=str(quarter),
                name=f"{target.name} / Q{quarter}",
            )
            if self.split == "quarter_month":
                months = range(3 * quarter - 2, 3 * quarter + 1)
                vals["child_ids"] = [
                    Command.create(child)
                    for child in self._prepare_month_vals(
                        target,
                        amount,
                        quantity,
                        {m: month_weights[m] for m in months},
                        name_prefix=vals["name"],
                    )
                ]
            vals_list.append(vals)
        return vals_list

    def _prepare_month_vals(self, target, amount, quantity, weights, name_prefix=None):
        months = sorted(weights)
        amounts = split_amount(
            amount, [weights[m] for m in months], target.currency_id.rounding
        )
        quantities = split_amount(
            quantity, [weights[m] for m in months], self._quantity_rounding()
        )
        return [
            self._prepare_child_vals(
                target,
                month_amount,
                month_quantity,
                period_type="month",
                quarter=False,
                month=str(month),
                name=f"{name_prefix or target.name} / {target.year}-{month:02d}",
            )
            for month, month_amount, month_quantity in zip(
                months, amounts, quantities, strict=True
            )
        ]

    def _prepare_child_vals(self, target, amount, quantity, **values):
        vals = {
            "parent_id": target.id,
            "company_id": target.company_id.id,
            "year": target.year,
            "dimension": target.dimension,
            "team_id": target.team_id.id,
            "user_id": target.user_id.id,
            "categ_id": target.categ_id.id,
            "region_id": target.region_id.id,
            "tier_id": target.tier_id.id,
            "amount": amount,
            "quantity": quantity,
        }
        vals.update(values)
        return vals

    def _prepare_member_children(self):
        target = self.target_id
        lines = self.line_ids.sorted("sequence")
        weights = self._get_member_weights(lines)
        amounts = split_amount(target.amount, weights, target.currency_id.rounding)
        quantities = split_amount(target.quantity, weights, self._quantity_rounding())
        vals_list = []
        for line, amount, quantity in zip(lines, amounts, quantities, strict=True):
            member = line.team_id if self.split == "team" else line.user_id
            if not member:
                raise UserError(
                    self.env._(
                        "Choose the team or salesperson of line %(line)s.",
                        line=line.name or line.sequence,
                    )
                )
            vals = self._prepare_child_vals(
                target,
                amount,
                quantity,
                period_type=target.period_type,
                quarter=target.quarter,
                month=target.month,
                date_from=target.date_from,
                date_to=target.date_to,
                dimension=self.split,
                name=f"{target.name} / {member.name}",
            )
            if self.split == "team":
                vals.update(team_id=member.id, user_id=False)
            else:
                vals.update(user_id=member.id, team_id=member.sale_team_id.id)
            vals_list.append(vals)
        return vals_list

    def _quantity_rounding(self):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        return 10**-digits

    # ------------------------------------------------------------------
    # Weights
    # ------------------------------------------------------------------
    def _get_month_weights(self):
        """{month: weight} of the months of the target's year (or quarter)."""
        months = self._get_months()
        if self.method == "weights":
            if self.split == "quarter":
                # Quarter weights are read from the lines by the caller.
                return dict.fromkeys(range(1, 13), 1.0)
            by_month = {line.period_number: line.weight for line in self.line_ids}
            return {month: by_month.get(month, 0.0) for month in months}
        if self.method == "seasonality":
            # Months before the dimension's first sale are unknown, not a
            # season without sales: they weigh as much as an average known
            # month, so a history that starts mid-year never gives a zero
            # quarter.
            history, unknown = self._get_last_year_history()
            known = [month for month in range(1, 13) if month not in unknown]
            if any(history.get(month, 0.0) > 0 for month in known):
                average = sum(max(history.get(m, 0.0), 0.0) for m in known) / len(known)
                return {
                    month: max(history.get(month, 0.0), 0.0)
                    if month in known
                    else average
                    for month in months
                }
        return dict.fromkeys(months, 1.0)

    def _get_last_year_history(self):
        """``(revenue per month, months before the first sale)`` of the
        parent's dimension over the previous year, counted as its achievement
        is, in one query. A month is before the first sale when the revenue
        from the beginning up to its end is zero."""
        target = self.target_id
        year = target.date_from.year - 1
        base = {
            "company_id": target.company_id.id,
            "dimension": target.dimension,
            "team_id": target.team_id.id,
            "user_id": target.user_id.id,
            "categ_id": target.categ_id.id,
            "region_id": target.region_id.id,
            "tier_id": target.tier_id.id,
        }
        rows = []
        for month in range(1, 13):
            month_start, month_end = period_dates("month", year, month=month)
            rows.append(dict(base, id=month, date_from=month_start, date_to=month_end))
            # Row 12 + month: everything up to the month's end.
            rows.append(
                dict(base, id=12 + month, date_from=HISTORY_START, date_to=month_end)
            )
        measured = self._measure(rows)
        by_month = {
            month: measured[month] for month in range(1, 13) if month in measured
        }
        before = {month for month in range(1, 13) if not measured.get(12 + month)}
        return by_month, before

    def _get_member_weights(self, lines):
        if self.method == "weights":
            return [line.weight for line in lines]
        if self.method == "share":
            target = self.target_id
            date_from = target.date_from - relativedelta(years=1)
            date_to = target.date_to - relativedelta(years=1)
            rows = [
                {
                    "id": index + 1,
                    "company_id": target.company_id.id,
                    "dimension": self.split,
                    "team_id": line.team_id.id,
                    "user_id": line.user_id.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for index, line in enumerate(lines)
            ]
            history = self._measure(rows)
            weights = [
                max(history.get(index + 1) or 0.0, 0.0) for index in range(len(lines))
            ]
            if any(weights):
                return weights
        return [1.0] * len(lines)

    def _measure(self, rows):
        """Revenue of virtual targets, ``{row id: amount}``, in one query."""
        Target = self.env["sale.target"]
        Target._flush_achievement_inputs()
        self.env.cr.execute(
            SQL(
                "SELECT target_id, SUM(amount) FROM (%s) lines GROUP BY target_id",
                Target._get_actual_lines_sql(Target._get_virtual_targets_sql(rows)),
            )
        )
        return dict(self.env.cr.fetchall())


class SaleTargetDecomposeLine(models.TransientModel):
    _name = "sale.target.decompose.line"
    _description = "Target Decomposition Line"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "sale.target.decompose", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Part")
    period_number = fields.Integer(string="Quarter or Month")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson")
    weight = fields.Float(
        default=1.0,
        digits=(16, 2),
        help="Used with the Weights method: parts are in proportion to the weights.",
    )
