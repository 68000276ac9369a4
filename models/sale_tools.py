# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Small helpers shared by the module's models and wizards."""

from odoo.exceptions import MissingError, UserError
from odoo.tools import SQL


def ensure_one_record(records):
    """``records.ensure_one()`` for the public methods a client calls: an
    empty, deleted or multiple selection gets a sentence, not a traceback."""
    if len(records) == 1:
        if not records.exists():
            raise MissingError(
                records.env._(
                    "%(document)s no longer exists; reload the page.",
                    document=records.env["ir.model"]._get(records._name).name,
                )
            )
        return records
    document = records.env["ir.model"]._get(records._name).name
    if not records:
        raise UserError(
            records.env._(
                "No %(document)s was given: open the record you want to act on "
                "and use the button there.",
                document=document,
            )
        )
    raise UserError(
        records.env._(
            "This action works on one %(document)s at a time; select only one.",
            document=document,
        )
    )


def read_all_related(records, fname):
    """Every record of the x2many field ``fname`` of ``records``, as the
    superuser, read from the database.

    ``records.sudo()[fname]`` is not enough: the cache is shared between the
    user's and the superuser's environments, so after the user's own read
    (the form reads the field through the user's record rules) it holds
    only what the user may see. A control that counts or decides on the
    related records must see them all.
    """
    field = records._fields[fname]
    comodel = records.env[field.comodel_name].sudo()
    if not records.ids:
        return comodel
    if field.type == "one2many":
        domain = [(field.inverse_name, "in", records.ids)]
        return comodel.search(domain + list(field.get_domain_list(records)))
    records.env.flush_all()
    rows = records.env.execute_query(
        SQL(
            "SELECT %s FROM %s WHERE %s IN %s",
            SQL.identifier(field.column2),
            SQL.identifier(field.relation),
            SQL.identifier(field.column1),
            tuple(records.ids),
        )
    )
    return comodel.browse(dict.fromkeys(row[0] for row in rows)).exists()


def company_lang(company):
    """Language of the texts the module writes for ``company`` outside a
    user's request (jobs, demo data): the company's own language when it is
    installed, else the environment's."""
    lang = company.partner_id.lang
    if lang and company.env["res.lang"]._lang_get(lang):
        return lang
    return company.env.lang or "en_US"


def in_company_langs(records, company_field="company_id"):
    """``records`` split by company, each part in its company's language (see
    ``company_lang``), for jobs that write texts users read."""
    for company, part in records.grouped(company_field).items():
        yield part.with_context(lang=company_lang(company))
