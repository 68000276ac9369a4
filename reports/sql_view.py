# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import tools
from odoo.tools import SQL


def create_sql_view(cr, table, query):
    """(Re)create the view ``table`` of a report model as the SQL ``query``."""
    tools.drop_view_if_exists(cr, table)
    cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(table), query))
