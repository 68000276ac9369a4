# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The open receivables' summary: open receivable items added up per customer
and due date.

The credit check (R-21) and the receivable aging (R-23) added up every open
receivable item of a customer, so a customer with 10,000 open invoices made
every order's credit check read 10,000 items. Neither needs the items: the
exposure, the overdue amounts and the aging bands only need the open amount
per due date. The cells hold it per company, customer (the commercial
partner of the item's partner), salesperson (the invoice's, else the
customer's), sales team and due date.

How it stays exact, as the order statistics' summary does
(``sale_order_statistics_summary.py``):

- Database triggers mark the (company, customer) of every open receivable
  item whose figures change (its amount, reconciliation, state, partner,
  account, due date, its move's salesperson or team, an account's type, its
  partner's commercial partner or salesperson), in the same transaction as
  the change.
- ``sale_receivable_open_summary`` reads the unmarked cells plus the open items
  of the marked customers; the credit check does the same for its customers.
  A reader never sees stale figures and never writes.
- A job folds the marked partners into the cells (one fold at a time). A fold
  only removes the marks its snapshot sees.
- ``_rebuild()`` makes every cell again; ``_check_against_items()`` lists the
  cells that differ from the items.
"""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from .sql_view import create_sql_view

_logger = logging.getLogger(__name__)

FOLD_LOCK = 61_700_302  # pg advisory lock of the folding job
FOLD_BATCH = 20_000

# An item that counts: an open, posted item on a receivable account (the
# predicate of account's partial index on unreconciled posted items).
ITEM_COUNTS = """account.account_type = 'asset_receivable'
           AND aml.parent_state = 'posted'
           AND aml.reconciled IS NOT TRUE
           AND aml.amount_residual != 0"""
# The day an item is due: its due date, else its accounting date.
ITEM_DUE = "COALESCE(aml.date_maturity, aml.date)"

TRIGGERS = (
    ("account_move_line", "spc_receivable_items_insert"),
    ("account_move_line", "spc_receivable_items_update"),
    ("account_move_line", "spc_receivable_items_delete"),
    ("account_move", "spc_receivable_moves_update"),
    ("account_account", "spc_receivable_accounts_update"),
    ("res_partner", "spc_receivable_partner_update"),
)
TRIGGER_FUNCTIONS = (
    "spc_receivable_mark_items",
    "spc_receivable_mark_move",
    "spc_receivable_mark_account",
    "spc_receivable_mark_partner",
)


def cells_sql(keys=None):
    """Open receivable items added up per cell: of every customer, or of the
    customers of ``keys`` (an SQL relation ``d`` of ``company_id,
    partner_key``, where 0 stands for items without a partner)."""
    columns = SQL(
        "aml.id, aml.company_id, aml.partner_id, aml.move_id, aml.account_id, "
        "aml.date, aml.date_maturity, aml.amount_residual, aml.parent_state, "
        "aml.reconciled"
    )
    if keys is None:
        source = SQL("account_move_line aml")
    else:
        # The items of each customer's partners (its contacts and addresses),
        # and the items without a partner.
        source = SQL(
            """(SELECT %(columns)s FROM %(keys)s
                  JOIN res_partner kp ON kp.commercial_partner_id = d.partner_key
                  JOIN account_move_line aml ON aml.company_id = d.company_id
                                            AND aml.partner_id = kp.id
                UNION ALL
                SELECT %(columns)s FROM %(keys)s
                  JOIN res_partner kp ON kp.id = d.partner_key
                                     AND kp.commercial_partner_id IS NULL
                  JOIN account_move_line aml ON aml.company_id = d.company_id
                                            AND aml.partner_id = kp.id
                UNION ALL
                SELECT %(columns)s FROM %(keys)s
                  JOIN account_move_line aml ON aml.company_id = d.company_id
                                            AND aml.partner_id IS NULL
                 WHERE d.partner_key = 0) aml""",
            columns=columns,
            keys=keys,
        )
    return SQL(
        """
        SELECT aml.company_id AS company_id,
               COALESCE(partner.commercial_partner_id, aml.partner_id, 0)
                   AS partner_key,
               COALESCE(move.invoice_user_id, commercial.user_id) AS user_id,
               move.team_id AS team_id,
               %(due)s AS date_maturity,
               COUNT(*) AS item_count,
               SUM(aml.amount_residual) AS amount_residual,
               SUM(GREATEST(aml.amount_residual, 0)) AS amount_positive,
               MIN(aml.id) AS item_id
          FROM %(source)s
          JOIN account_account account ON account.id = aml.account_id
          LEFT JOIN account_move move ON move.id = aml.move_id
          LEFT JOIN res_partner partner ON partner.id = aml.partner_id
          LEFT JOIN res_partner commercial
                 ON commercial.id = partner.commercial_partner_id
         WHERE %(counts)s
         GROUP BY 1, 2, 3, 4, 5
        """,
        due=SQL(ITEM_DUE),
        source=source,
        counts=SQL(ITEM_COUNTS),
    )


CELL_COLUMNS = SQL(
    "company_id, partner_key, user_id, team_id, date_maturity, "
    "item_count, amount_residual, amount_positive"
)


def insert_cells_sql(keys=None):
    return SQL(
        "INSERT INTO sale_receivable_open_cell (%s) SELECT %s FROM (%s) x",
        CELL_COLUMNS,
        CELL_COLUMNS,
        cells_sql(keys),
    )


# The trigger functions: each inserts the (company, partner) of the open
# receivable items a statement changed; "@MARK@" is that INSERT's start and
# "@COUNTS(x)@" whether item x counts.
MARK_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION spc_receivable_mark_items()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        @MARK@
          FROM new_rows i JOIN account_account a ON a.id = i.account_id
          @PARTNER@
         WHERE @COUNTS(i)@;
    ELSIF TG_OP = 'DELETE' THEN
        @MARK@
          FROM old_rows i JOIN account_account a ON a.id = i.account_id
          @PARTNER@
         WHERE @COUNTS(i)@;
    ELSE
        @MARK@
          FROM old_rows o
          JOIN new_rows n ON n.id = o.id
          JOIN account_account oa ON oa.id = o.account_id
          JOIN account_account na ON na.id = n.account_id
          CROSS JOIN LATERAL (
                VALUES (o.company_id, o.partner_id), (n.company_id, n.partner_id)
               ) AS i(company_id, partner_id)
          @PARTNER@
         WHERE (@COUNTS_OLD@ OR @COUNTS_NEW@)
           AND (o.amount_residual IS DISTINCT FROM n.amount_residual
                OR o.reconciled IS DISTINCT FROM n.reconciled
                OR o.parent_state IS DISTINCT FROM n.parent_state
                OR o.partner_id IS DISTINCT FROM n.partner_id
                OR o.company_id IS DISTINCT FROM n.company_id
                OR o.account_id IS DISTINCT FROM n.account_id
                OR o.move_id IS DISTINCT FROM n.move_id
                OR o.date IS DISTINCT FROM n.date
                OR o.date_maturity IS DISTINCT FROM n.date_maturity);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION spc_receivable_mark_move()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    @MARK@
      FROM account_move_line i JOIN account_account a ON a.id = i.account_id
      @PARTNER@
     WHERE i.move_id = NEW.id AND @COUNTS(i)@;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION spc_receivable_mark_account()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    @MARK@
      FROM account_move_line i
      @PARTNER@
     WHERE i.account_id = NEW.id
       AND i.parent_state = 'posted'
       AND i.reconciled IS NOT TRUE
       AND i.amount_residual != 0;
    RETURN NULL;
END $$;

-- A partner's customer changed: its old and its new customer, where the
-- partner has open items. A customer's salesperson changed: the customer,
-- where it has cells (a marked customer is read from its items anyway).
CREATE OR REPLACE FUNCTION spc_receivable_mark_partner()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.commercial_partner_id IS DISTINCT FROM NEW.commercial_partner_id THEN
        INSERT INTO sale_receivable_open_dirty (company_id, partner_key)
        SELECT DISTINCT i.company_id, k.partner_key
          FROM account_move_line i
         CROSS JOIN (VALUES (COALESCE(OLD.commercial_partner_id, OLD.id)),
                            (COALESCE(NEW.commercial_partner_id, NEW.id)))
                    AS k(partner_key)
         WHERE i.partner_id = NEW.id
           AND i.parent_state = 'posted'
           AND i.reconciled IS NOT TRUE
           AND i.amount_residual != 0;
    END IF;
    IF OLD.user_id IS DISTINCT FROM NEW.user_id THEN
        INSERT INTO sale_receivable_open_dirty (company_id, partner_key)
        SELECT DISTINCT c.company_id, c.partner_key
          FROM sale_receivable_open_cell c
         WHERE c.partner_key = NEW.id;
    END IF;
    RETURN NULL;
END $$;
"""
MARK_FUNCTIONS_SQL = (
    MARK_FUNCTIONS_SQL.replace(
        "@MARK@",
        "INSERT INTO sale_receivable_open_dirty (company_id, partner_key) "
        "SELECT DISTINCT i.company_id, "
        "COALESCE(ip.commercial_partner_id, i.partner_id, 0)",
    )
    .replace("@PARTNER@", "LEFT JOIN res_partner ip ON ip.id = i.partner_id")
    .replace(
        "@COUNTS(i)@",
        "a.account_type = 'asset_receivable' AND i.parent_state = 'posted' "
        "AND i.reconciled IS NOT TRUE AND i.amount_residual != 0",
    )
    .replace(
        "@COUNTS_OLD@",
        "(oa.account_type = 'asset_receivable' AND o.parent_state = 'posted' "
        "AND o.reconciled IS NOT TRUE AND o.amount_residual != 0)",
    )
    .replace(
        "@COUNTS_NEW@",
        "(na.account_type = 'asset_receivable' AND n.parent_state = 'posted' "
        "AND n.reconciled IS NOT TRUE AND n.amount_residual != 0)",
    )
)


class SaleReceivableOpenDirty(models.Model):
    """A partner of a company whose cells no longer match the open items:
    marked by the database's triggers, removed when the partner is folded."""

    _name = "sale.receivable.open.dirty"
    _description = "Open Receivables Partner to Refresh"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True)
    partner_key = fields.Integer(required=True, help="0: items without a partner")

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sale_receivable_open_dirty_key "
            "ON sale_receivable_open_dirty (company_id, partner_key)"
        )


class SaleReceivableOpenCell(models.Model):
    """The open receivable items of one company, partner, salesperson, team
    and due date. Written only by the summary's own code."""

    _name = "sale.receivable.open.cell"
    _description = "Open Receivables Cell"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True)
    partner_key = fields.Integer(required=True, help="0: items without a partner")
    user_id = fields.Many2one("res.users", string="Salesperson")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    date_maturity = fields.Date(string="Due Date")
    item_count = fields.Integer()
    # Numeric, as the items' amounts: sums of cells equal sums of items.
    amount_residual = fields.Float(digits=(16, 2))
    amount_positive = fields.Float(digits=(16, 2))

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sale_receivable_open_cell_customer "
            "ON sale_receivable_open_cell (partner_key, company_id)"
        )
        self._create_triggers()
        self.env.cr.execute("SELECT 1 FROM sale_receivable_open_cell LIMIT 1")
        if not self.env.cr.fetchone():
            self._rebuild()

    @api.model
    def _create_triggers(self):
        cr = self.env.cr
        cr.execute(MARK_FUNCTIONS_SQL)
        self._drop_triggers(cr, functions=False)
        cr.execute(
            """
            CREATE TRIGGER spc_receivable_items_insert AFTER INSERT
                ON account_move_line REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_receivable_mark_items();
            CREATE TRIGGER spc_receivable_items_update AFTER UPDATE
                ON account_move_line
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_receivable_mark_items();
            CREATE TRIGGER spc_receivable_items_delete AFTER DELETE
                ON account_move_line REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_receivable_mark_items();
            CREATE TRIGGER spc_receivable_moves_update
                AFTER UPDATE OF invoice_user_id, team_id ON account_move
                FOR EACH ROW
                WHEN (OLD.invoice_user_id IS DISTINCT FROM NEW.invoice_user_id
                      OR OLD.team_id IS DISTINCT FROM NEW.team_id)
                EXECUTE FUNCTION spc_receivable_mark_move();
            CREATE TRIGGER spc_receivable_partner_update
                AFTER UPDATE OF commercial_partner_id, user_id ON res_partner
                FOR EACH ROW
                WHEN (OLD.commercial_partner_id
                      IS DISTINCT FROM NEW.commercial_partner_id
                      OR OLD.user_id IS DISTINCT FROM NEW.user_id)
                EXECUTE FUNCTION spc_receivable_mark_partner();
            CREATE TRIGGER spc_receivable_accounts_update
                AFTER UPDATE OF account_type ON account_account FOR EACH ROW
                WHEN (OLD.account_type IS DISTINCT FROM NEW.account_type)
                EXECUTE FUNCTION spc_receivable_mark_account();
            """
        )

    @staticmethod
    def _drop_triggers(cr, functions=True):
        for table, name in TRIGGERS:
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(name),
                    SQL.identifier(table),
                )
            )
        if functions:
            for name in TRIGGER_FUNCTIONS:
                cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(name)))

    @api.model
    def _rebuild(self):
        """Make every cell again from the open items."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("LOCK sale_receivable_open_dirty IN EXCLUSIVE MODE")
        cr.execute("DELETE FROM sale_receivable_open_dirty")
        cr.execute("DELETE FROM sale_receivable_open_cell")
        cr.execute(insert_cells_sql())
        count = cr.rowcount
        cr.execute("ANALYZE sale_receivable_open_cell")
        self.env.invalidate_all()
        _logger.info("open receivables: %s cells made from the items", count)
        return count

    @api.model
    def _fold_dirty(self, batch=None):
        """Fold up to ``batch`` marks into the cells; returns how many partners
        were folded (None when another transaction is folding)."""
        batch = batch or self.env.context.get("fold_batch") or FOLD_BATCH
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        if not cr.fetchone()[0]:
            return None
        # Only the marks this transaction sees are taken: a mark committed
        # meanwhile stays, and its partner is read from the items until the
        # next fold.
        cr.execute(
            """
            DELETE FROM sale_receivable_open_dirty
             WHERE id IN (SELECT id FROM sale_receivable_open_dirty
                           ORDER BY id LIMIT %s)
         RETURNING company_id, partner_key
            """,
            [batch],
        )
        keys = sorted(set(cr.fetchall()))
        if not keys:
            return 0
        companies = [key[0] for key in keys]
        partners = [key[1] for key in keys]
        cr.execute(
            """
            DELETE FROM sale_receivable_open_cell c
             USING unnest(%s::int[], %s::int[]) AS k(company_id, partner_key)
             WHERE c.company_id = k.company_id AND c.partner_key = k.partner_key
            """,
            [companies, partners],
        )
        cr.execute(
            insert_cells_sql(
                SQL(
                    "unnest(%s::int[], %s::int[]) AS d(company_id, partner_key)",
                    companies,
                    partners,
                )
            )
        )
        self.env.invalidate_all()
        return len(keys)

    @api.model
    def _cron_fold_dirty(self, max_batches=50):
        for _batch in range(max_batches):
            if not self._fold_dirty():
                return
            if self.env.context.get("cron_id"):
                # Each batch is kept, whatever happens to the next one.
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _check_against_items(self):
        """Cells (with the marked partners read from the items) that differ
        from the items: ``[(company, partner key, salesperson, team, due date,
        what the summary says, what the items say)]``; empty when they
        agree."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH summary AS (
                    SELECT company_id, partner_key, user_id, team_id,
                           date_maturity, SUM(item_count) AS item_count,
                           ROUND(SUM(amount_residual)::numeric, 2) AS amount,
                           ROUND(SUM(amount_positive)::numeric, 2) AS positive
                      FROM sale_receivable_open_summary
                     GROUP BY 1, 2, 3, 4, 5
                ), items AS (
                    SELECT company_id, partner_key, user_id, team_id,
                           date_maturity, item_count,
                           ROUND(amount_residual::numeric, 2) AS amount,
                           ROUND(amount_positive::numeric, 2) AS positive
                      FROM (%s) cells
                )
                SELECT COALESCE(s.company_id, i.company_id),
                       COALESCE(s.partner_key, i.partner_key),
                       COALESCE(s.user_id, i.user_id),
                       COALESCE(s.team_id, i.team_id),
                       COALESCE(s.date_maturity, i.date_maturity),
                       ARRAY[s.item_count, s.amount, s.positive],
                       ARRAY[i.item_count, i.amount, i.positive]
                  FROM summary s
                  FULL JOIN items i
                    ON s.company_id = i.company_id
                   AND s.partner_key = i.partner_key
                   AND COALESCE(s.user_id, 0) = COALESCE(i.user_id, 0)
                   AND COALESCE(s.team_id, 0) = COALESCE(i.team_id, 0)
                   AND s.date_maturity IS NOT DISTINCT FROM i.date_maturity
                 WHERE ROW(s.item_count, s.amount, s.positive)
                       IS DISTINCT FROM ROW(i.item_count, i.amount, i.positive)
                """,
                cells_sql(),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _customer_rows_sql(self, company, customer_ids):
        """Rows ``partner_id, date_maturity, amount_residual, amount_positive``
        of the open receivables of the customers ``customer_ids`` (commercial
        partners) in ``company``: their cells, or their items while they are
        marked."""
        return SQL(
            """
            SELECT c.partner_key AS partner_id, c.date_maturity,
                   c.amount_residual, c.amount_positive
              FROM sale_receivable_open_cell c
             WHERE c.company_id = %(company)s
               AND c.partner_key = ANY(%(customers)s)
               AND NOT EXISTS (
                    SELECT 1 FROM sale_receivable_open_dirty d
                     WHERE d.company_id = %(company)s
                       AND d.partner_key = c.partner_key)
            UNION ALL
            SELECT x.partner_key, x.date_maturity, x.amount_residual,
                   x.amount_positive
              FROM (%(items)s) x
            """,
            company=company.id,
            customers=customer_ids,
            items=cells_sql(
                SQL(
                    """(SELECT DISTINCT company_id, partner_key
                          FROM sale_receivable_open_dirty
                         WHERE company_id = %s AND partner_key = ANY(%s)) d""",
                    company.id,
                    customer_ids,
                )
            ),
        )


class SaleReceivableOpenSummary(models.Model):
    """The cells, with each marked partner read from the items."""

    _name = "sale.receivable.open.summary"
    _description = "Open Receivables Summary"
    _auto = False
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "date",
            "date_maturity",
            "amount_residual",
            "parent_state",
            "reconciled",
        ],
        "account.move": ["invoice_user_id", "team_id"],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "user_id"],
        "sale.receivable.open.cell": [
            "company_id",
            "partner_key",
            "user_id",
            "team_id",
            "date_maturity",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    partner_key = fields.Integer(readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    item_count = fields.Integer(readonly=True)
    amount_residual = fields.Float(digits=(16, 2), readonly=True)
    amount_positive = fields.Float(digits=(16, 2), readonly=True)

    def init(self):
        create_sql_view(
            self.env.cr,
            self._table,
            SQL(
                """
                SELECT s.id, s.company_id, s.partner_key,
                       NULLIF(s.partner_key, 0) AS partner_id, s.user_id,
                       s.team_id, s.date_maturity, s.item_count,
                       s.amount_residual, s.amount_positive
                  FROM sale_receivable_open_cell s
                 WHERE NOT EXISTS (
                        SELECT 1 FROM sale_receivable_open_dirty d
                         WHERE d.company_id = s.company_id
                           AND d.partner_key = s.partner_key)
                UNION ALL
                SELECT -x.item_id AS id, x.company_id, x.partner_key,
                       NULLIF(x.partner_key, 0), x.user_id, x.team_id,
                       x.date_maturity, x.item_count, x.amount_residual,
                       x.amount_positive
                  FROM (%s) x
                """,
                cells_sql(
                    SQL(
                        "(SELECT DISTINCT company_id, partner_key "
                        "FROM sale_receivable_open_dirty) d"
                    )
                ),
            ),
        )
