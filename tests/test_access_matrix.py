# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The access matrix: what each role may do with each model of the module.

The table is the specification: a change of an access right or a group that
changes what a role may do fails here until the table says so too. Rows are
the module's own models; columns the roles, each a test user holding that
role only; ``c``/``r``/``w``/``u`` are create, read, write and unlink (``-``:
none). Record rules and the decision guards narrow these rights further;
their tests are in the feature test files and ``test_workflow_integrity``.
"""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SaleProcessControlCommon

# Column order of the table: the attribute of the test user of each role.
ROLES = (
    "sale_user",
    "head_user",
    "director_user",
    "management_user",
    "technical_user",
    "production_user",
    "finance_user",
    "legal_user",
    "service_user",
    "supervision_user",
    "sale_manager",
)
OPERATIONS = {"c": "create", "r": "read", "w": "write", "u": "unlink"}

# model                          sale head dir  mgmt tech prod fin  legl svc  sup  admn
MATRIX = """
sale.appraisal                   r    crw  crwu crwu r    r    r    r    r    r    crwu
sale.appraisal.generate          -    crw  crw  crw  -    -    -    -    -    -    crw
sale.appraisal.grade             r    r    r    r    r    r    r    r    r    r    crwu
sale.appraisal.line              r    crwu crwu crwu r    r    r    r    r    r    crwu
sale.appraisal.refuse            -    crw  crw  crw  -    -    -    -    -    -    crw
sale.appraisal.template          r    r    r    r    r    r    r    r    r    r    crwu
sale.appraisal.template.line     r    r    r    r    r    r    r    r    r    r    crwu
sale.approval                    r    r    r    r    r    r    r    r    r    r    r
sale.approval.decide             crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crw
sale.bonus.rule                  r    r    r    r    r    r    r    r    r    r    crwu
sale.collection.plan             crw  crwu crwu crwu crw  crw  crwu crw  crw  crw  crwu
sale.collection.plan.line        crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.complaint.rate.report       -    r    r    r    -    -    -    -    -    -    r
sale.contract                    crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.contract.amendment          crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crw
sale.contract.line               crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.contract.sign               crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crw
sale.contract.template           r    r    r    r    r    r    r    crwu r    r    crwu
sale.credit.criterion            r    r    r    r    r    r    r    r    r    r    crwu
sale.credit.evaluation           r    crw  crw  crw  r    r    crw  r    r    r    crw
sale.credit.evaluation.line      r    crwu crwu crwu r    r    crwu r    r    r    crwu
sale.credit.grade                r    r    r    r    r    r    r    r    r    r    crwu
sale.credit.limit.request        crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crw
sale.credit.lock                 -    -    -    -    -    -    -    -    -    -    r
sale.credit.release              r    r    r    r    r    r    crw  r    r    r    r
sale.customer.feedback           crw  crwu crwu crwu crw  crw  crw  crw  crw  crw  crwu
sale.customer.file.item          r    r    r    r    r    r    r    r    r    r    crwu
sale.customer.frequency.report   -    r    r    r    -    -    -    -    -    -    r
sale.customer.statement          crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crw
sale.customer.tier               r    r    r    r    r    r    r    r    r    r    crwu
sale.customer.tier.history       r    r    r    r    r    r    r    r    r    r    r
sale.delivery.performance.report -    r    r    r    -    -    -    -    -    -    r
sale.honour                      r    crwu crwu crwu r    r    r    r    r    r    crwu
sale.honour.propose              -    crw  crw  crw  -    -    -    -    -    -    crw
sale.kpi                         r    r    r    r    r    r    r    r    r    r    crwu
sale.order.acceptance            crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crwu
sale.order.growth.report         -    r    r    r    -    -    -    -    -    -    r
sale.order.statistics.cell       -    -    -    -    -    -    -    -    -    -    -
sale.order.statistics.dirty      -    -    -    -    -    -    -    -    -    -    -
sale.order.statistics.report     -    r    r    r    -    -    -    -    -    -    r
sale.order.statistics.summary    -    -    -    -    -    -    -    -    -    -    -
sale.period.report               crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.plan                        r    crwu crwu crwu r    r    r    r    r    r    crwu
sale.plan.correction             r    crw  crw  crw  r    r    r    r    r    r    crw
sale.plan.phase                  r    crwu crwu crwu r    r    r    r    r    r    crwu
sale.price.change                crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.price.change.line           crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.product.ranking.report      -    r    r    r    -    -    -    -    -    -    r
sale.receivable.aging.report     r    r    r    r    r    r    r    r    r    r    r
sale.receivable.aging.summary    -    -    -    -    -    -    -    -    -    -    -
sale.receivable.open.cell        -    -    -    -    -    -    -    -    -    -    -
sale.receivable.open.dirty       -    -    -    -    -    -    -    -    -    -    -
sale.receivable.open.summary     -    -    -    -    -    -    -    -    -    -    -
sale.rectification               rw   rw   rw   rw   rw   rw   rw   rw   rw   crwu crwu
sale.review.rule                 r    r    r    r    r    r    r    r    r    r    crwu
sale.risk.event                  rw   rw   rw   rw   rw   rw   rw   rw   rw   crwu crwu
sale.spot.check                  -    -    -    -    -    -    -    -    -    crwu crwu
sale.spot.check.line             -    -    -    -    -    -    -    -    -    crwu crwu
sale.target                      r    crw  crwu crwu r    r    r    r    r    r    crwu
sale.target.adjustment           crw  crw  crwu crwu crw  crw  crw  crw  crw  crw  crwu
sale.target.decompose            -    crw  crw  crw  -    -    -    -    -    -    crw
sale.target.decompose.line       -    crwu crwu crwu -    -    -    -    -    -    crwu
sale.target.month.report         r    r    r    r    r    r    r    r    r    r    r
sale.target.version              r    r    r    r    r    r    r    r    r    r    r
sale.task                        crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.tier.review                 r    rw   rw   rw   r    r    r    r    r    r    rw
sale.tier.review.line            r    rw   rw   rw   r    r    r    r    r    r    rw
sale.visit                       crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.visit.compliance.report     r    r    r    r    r    r    r    r    r    r    r
sale.visit.followup              crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu crwu
sale.visit.reminder              -    -    -    -    -    -    -    -    -    -    r
sale.visit.window                -    -    -    -    -    -    -    -    -    -    r
sale.visitor                     crw  crw  crw  crw  crw  crw  crw  crw  crw  crw  crwu
"""


@tagged("post_install", "-at_install")
class TestAccessMatrix(SaleProcessControlCommon):
    @classmethod
    def _expected(cls):
        for row in MATRIX.strip().splitlines():
            model, *rights = row.split()
            yield model, dict(zip(ROLES, rights, strict=True))

    def test_matrix_lists_every_model_of_the_module(self):
        own = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract and model._original_module == "sale_process_control"
        }
        self.assertEqual({model for model, _rights in self._expected()}, own)

    def test_each_role_has_the_rights_of_the_table(self):
        for model, rights in self._expected():
            for role, expected in rights.items():
                Model = self.env[model].with_user(getattr(self, role))
                granted = "".join(
                    letter
                    for letter, operation in OPERATIONS.items()
                    if Model.has_access(operation)
                )
                with self.subTest(model=model, role=role):
                    self.assertEqual(granted or "-", expected)

    def test_each_role_reads_and_groups_within_its_rules(self):
        """Reading goes through the record rules of the role: a search and a
        read_group run for every role that may read, and are refused with an
        access error for the others."""
        for model, rights in self._expected():
            for role, expected in rights.items():
                Model = self.env[model].with_user(getattr(self, role))
                with self.subTest(model=model, role=role):
                    if "r" in expected:
                        count = Model.search_count([])
                        groups = Model.read_group([], ["__count"], [])
                        self.assertEqual(groups[0]["__count"], count)
                    else:
                        with self.assertRaises(AccessError):
                            Model.read_group([], ["__count"], [])
