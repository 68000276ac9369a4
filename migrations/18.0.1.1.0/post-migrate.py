# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""18.0.1.1.0: the confirmation gate.

- Review fingerprints are keyed with the database secret and an order's now
  covers its addresses, terms, delivery date, units and taxes. Decisions on
  other documents stand: their fingerprint is recomputed on the content they
  have now. Quotations approved or under review are reset with a note in their
  chatter, since what their review covered has grown.
- Credit releases are bound to the customer, company and currency of their
  order: filled from the order they were given for.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        UPDATE sale_credit_release release
           SET partner_id = COALESCE(partner.commercial_partner_id, partner.id),
               release_company_id = sale_order.company_id,
               release_currency_id = sale_order.currency_id
          FROM sale_order
          JOIN res_partner partner ON partner.id = sale_order.partner_id
         WHERE release.order_id = sale_order.id
           AND release.partner_id IS NULL
        """
    )
    _logger.info("Credit releases bound to their customer: %s", cr.rowcount)

    mixin = type(env["sale.approval.mixin"])
    for name in env.registry:
        model = env[name]
        if model._abstract or not model._auto or not isinstance(model, mixin):
            continue
        documents = model.with_context(active_test=False).search(
            [("approval_state", "in", ("pending", "approved"))]
        )
        if name == "sale.order":
            quotations = documents.filtered(lambda o: o.state in ("draft", "sent"))
            quotations._approval_reset(
                env._(
                    "the review now also covers the addresses, payment terms, "
                    "delivery date, units and taxes of the order."
                )
            )
            documents -= quotations
        for document in documents:
            document.sudo().write(
                {"approval_fingerprint": document._compute_approval_fingerprint()}
            )
        _logger.info("%s: %s review fingerprints renewed", name, len(documents))
