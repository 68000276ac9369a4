# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Small helpers shared by the module's models and wizards."""

from odoo.exceptions import MissingError, UserError


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
