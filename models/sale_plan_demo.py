# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, models

from .sale_process_control_demo import in_demo_lang

_logger = logging.getLogger(__name__)


class SaleProcessControlDemo(models.AbstractModel):
    _inherit = "sale.process.control.demo"

    @api.model
    @in_demo_lang
    def _generate_demo_plans(self):
        """A sales plan in force with two phases and a correction waiting for
        the general manager, two visitors and a few sales tasks (demo only)."""
        ref = self.env.ref
        head = ref("sale_process_control.user_head_demo", raise_if_not_found=False)
        if not head:
            _logger.info("Demo users missing: no sales plan demo data")
            return True
        company = head.company_id
        demo = self._demo_with_company(company)
        users = {
            login: ref(f"sale_process_control.user_{login}_demo")
            for login in ("sales", "sales2", "head", "management", "service")
        }
        today = demo._demo_today()
        demo._demo_plan(company, users, today)
        demo._demo_visitors(users, today)
        demo._demo_tasks(users, today)
        return True

    def _demo_product(self, key):
        return (
            self.env.ref(
                f"sale_process_control.product_{key}_demo", raise_if_not_found=False
            )
            or self.env["product.product"]
        )

    def _demo_plan(self, company, users, today):
        start = today.replace(day=1) - relativedelta(months=3)
        middle = start + relativedelta(months=3)
        end = start + relativedelta(months=6) - timedelta(days=1)
        plan = (
            self.env["sale.plan"]
            .with_user(users["head"])
            .create(
                {
                    "name": "华东区数控机床半年度销售总体计划",
                    "company_id": company.id,
                    "user_id": users["head"].id,
                    "team_id": self.env.ref(
                        "sale_process_control.crm_team_east_demo"
                    ).id,
                    "date_start": start,
                    "date_end": end,
                    "target_amount": 40000000.0,
                    "target_customer_count": 4,
                    "product_ids": [
                        Command.set(
                            (
                                self._demo_product("lathe")
                                | self._demo_product("vmc")
                                | self._demo_product("spindle")
                            ).ids
                        )
                    ],
                    "description": "<p>以数控车床和立式加工中心为主推产品，"
                    "巩固重点客户，借助行业展会开发新客户；"
                    "每季度召开客户分析会，按阶段总结修正。</p>",
                    "phase_ids": [
                        Command.create(
                            {
                                "name": "第一阶段：老客户深耕",
                                "date_start": start,
                                "date_end": middle - timedelta(days=1),
                                "target_amount": 18000000.0,
                                "target_visit_count": 30,
                                "target_new_customer_count": 1,
                                "actions": "重点客户逐一拜访，推介设备更新方案；"
                                "组织两场老客户技术交流会。",
                                "summary": "重点客户拜访按计划完成，"
                                "立式加工中心需求旺盛；新客户开发偏慢，下一阶段加强展会跟进。",
                            }
                        ),
                        Command.create(
                            {
                                "name": "第二阶段：展会拓新",
                                "date_start": middle,
                                "date_end": end,
                                "target_amount": 22000000.0,
                                "target_visit_count": 40,
                                "target_new_customer_count": 3,
                                "actions": "参加华东机床展，"
                                "展后两周内回访全部意向客户；推出新客户首单优惠。",
                            }
                        ),
                    ],
                }
            )
        )
        plan.with_user(users["head"]).action_submit()
        plan.with_user(users["management"]).action_approve(
            "目标与公司年度计划一致，同意执行。"
        )
        second = plan.phase_ids.sorted("date_start")[1]
        correction = (
            self.env["sale.plan.correction"]
            .with_user(users["head"])
            .create(
                {
                    "plan_id": plan.id,
                    "phase_id": second.id,
                    "reason": "华东机床展延期两周举办，第二阶段新客户目标顺延，"
                    "销售目标相应下调。",
                }
            )
        )
        correction.with_user(users["head"]).write(
            {"new_target_amount": 20000000.0, "new_target_new_customer_count": 2}
        )
        correction.with_user(users["head"]).action_submit()
        self._demo_xmlids(
            {"sale_plan_demo": plan, "sale_plan_correction_demo": correction}
        )

    def _demo_visitors(self, users, today):
        Visitor = self.env["sale.visitor"]
        registered = Visitor.with_user(users["sales"]).create(
            {
                "name": "吴建华",
                "partner_name": "苏州恒通精密模具有限公司",
                "phone": "0512-6688 1024",
                "email": "wu.jianhua@hengtong-mold.example.com",
                "purpose": "新建模具车间，了解立式加工中心及配套夹具",
                "product_ids": [
                    Command.set(
                        (self._demo_product("vmc") | self._demo_product("fixture")).ids
                    )
                ],
                "intent_level": "high",
                "received_by_id": users["sales"].id,
                "user_id": users["sales"].id,
                "visit_date": today - timedelta(days=2),
                "followup_date": today + timedelta(days=1),
                "note": "预算约 60 万元，计划下季度采购两台，已参观样机。",
            }
        )
        registered.with_user(users["sales"]).action_register()
        waiting = Visitor.with_user(users["service"]).create(
            {
                "name": "郑晓燕",
                "partner_name": "嘉兴锦程五金有限公司",
                "phone": "0573-8210 5566",
                "purpose": "咨询数控车床价格和交货期",
                "product_ids": [Command.set(self._demo_product("lathe").ids)],
                "intent_level": "medium",
                "received_by_id": users["service"].id,
                "user_id": users["sales2"].id,
                "visit_date": today,
                "followup_date": today + timedelta(days=3),
            }
        )
        self._demo_xmlids(
            {
                "sale_visitor_registered_demo": registered,
                "sale_visitor_draft_demo": waiting,
            }
        )

    def _demo_tasks(self, users, today):
        hengyuan = self.env.ref(
            "sale_process_control.customer_hengyuan_demo", raise_if_not_found=False
        )
        tasks = [
            ("回访华东机床展意向客户", "sales", 0, 10, "in_progress", False),
            ("恒远汽车零部件设备更新方案报价", "sales", -5, 2, "todo", hengyuan),
            ("整理第一阶段成交客户档案", "sales2", -20, -8, "done", False),
            ("组织老客户技术交流会", "head", 3, 12, "todo", False),
        ]
        self.env["sale.task"].with_user(users["head"]).create(
            [
                {
                    "name": name,
                    "user_id": users[login].id,
                    "date_start": today + timedelta(days=start),
                    "date_end": today + timedelta(days=end),
                    "state": state,
                    "partner_id": partner.id if partner else False,
                }
                for name, login, start, end, state, partner in tasks
            ]
        )
