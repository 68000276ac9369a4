# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Decision fields are written by the code that makes the decision.

A document with a status of its own lists its *decision fields*: the status,
who decided and when, and the values derived from the decision. A client
never sets them through ``create``, ``write``, ``load`` or ``copy``; the
document's actions and jobs set them, either as superuser or inside
:func:`decision_action`, which opens a scope no client can reach (a counter
of the running thread, not a context key).
"""

import functools
import threading

from odoo import api, models
from odoo.exceptions import AccessError

_scope = threading.local()


def strip_engine_defaults(env, names):
    """The context without ``default_<name>`` keys of ``names``: a client may
    not preset an engine field through the context of ``create``."""
    context = env.context
    keys = {f"default_{name}" for name in names} & set(context)
    if not keys:
        return context
    return {key: value for key, value in context.items() if key not in keys}


def decision_allowed(env):
    """Whether the running code may write decision fields: as superuser, or
    inside an action marked with :func:`decision_action`."""
    return env.su or getattr(_scope, "depth", 0) > 0


def decision_action(method):
    """Mark ``method`` as code that makes a decision: while it runs, it writes
    the decision fields of the documents it acts on. The method still checks
    who may call it and from which state."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        _scope.depth = getattr(_scope, "depth", 0) + 1
        try:
            return method(*args, **kwargs)
        finally:
            _scope.depth -= 1

    return wrapper


class SaleDecisionGuard(models.AbstractModel):
    """Refuses a client's values for the decision fields of a document.

    A model lists them in ``_decision_fields``. At ``create`` a client may give
    only their default (a new document starts where its workflow starts); at
    ``write`` it may not give them at all; ``copy`` starts the copy over; the
    ``default_<field>`` context keys are ignored.
    """

    _name = "sale.decision.guard"
    _description = "Document Decided by Its Actions"

    _decision_fields = ()

    def _get_decision_fields(self):
        return set(self._decision_fields)

    def _get_decision_field_error(self, names):
        labels = ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"] for name in names
            )
        )
        return self.env._(
            "%(fields)s of %(document)s are set by its buttons and by the "
            "decisions taken on it, not entered directly. Use the buttons of "
            "the document instead.",
            fields=labels,
            document=self.env["ir.model"]._get(self._name).name,
        )

    def _is_decision_default(self, name, value):
        """Whether ``value`` is where a new document starts for ``name``."""
        if not value:
            return True
        field = self._fields[name]
        if field.type == "selection" and field.default:
            return value == field.default(self)
        return False

    @api.model_create_multi
    def create(self, vals_list):
        if decision_allowed(self.env):
            return super().create(vals_list)
        names = self._get_decision_fields()
        for vals in vals_list:
            given = {
                name
                for name in names.intersection(vals)
                if not self._is_decision_default(name, vals[name])
            }
            if given:
                raise AccessError(self._get_decision_field_error(given))
        # The whole context, less the decision fields' default_ keys.
        model = self.with_context(  # pylint: disable=context-overridden
            strip_engine_defaults(self.env, names)
        )
        return super(SaleDecisionGuard, model).create(vals_list)

    def write(self, vals):
        if not decision_allowed(self.env):
            given = self._get_decision_fields().intersection(vals)
            if given:
                raise AccessError(self._get_decision_field_error(given))
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if not decision_allowed(self.env):
            names = self._get_decision_fields()
            for vals in vals_list:
                for name in names.intersection(vals):
                    vals.pop(name)
        return vals_list
