# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import functools
import logging
import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

DEMO_SEED = 20260101
HISTORY_MONTHS = 18
# Orders of an average month; seasons and growth scale it.
MONTHLY_ORDERS = 19.0
# Machine-tool demand in China: quiet around the Spring Festival and in the summer,
# strong in spring and before the year end.
SEASONALITY = {
    1: 0.85,
    2: 0.45,
    3: 1.15,
    4: 1.15,
    5: 1.05,
    6: 1.15,
    7: 0.85,
    8: 0.8,
    9: 1.1,
    10: 0.85,
    11: 1.2,
    12: 1.35,
}
# Shanghai is UTC+8: business hours 09:00-17:30 are 01:00-09:30 UTC.
BUSINESS_MINUTES_UTC = (60, 570)


def _table(text):
    """Rows of a `|`-separated table, one row a line."""
    return [tuple(line.split("|")) for line in text.strip().splitlines()]


# key | name | province (base.state_cn_*) | city | street
CUSTOMER_ADDRESSES = _table(
    """
hengyuan|江苏恒远汽车零部件有限公司|JS|苏州市|工业园区星湖街 328 号
meituo|广东美拓电器制造有限公司|GD|佛山市|顺德区北滘镇工业大道 18 号
shenlian|上海申联航空装备有限公司|SH|上海市|闵行区剑川路 955 号
hongda|浙江宏达精工机械有限公司|ZJ|宁波市|北仑区新碶街道明州路 66 号
qilu|山东齐鲁重工装备有限公司|SD|济南市|历城区工业北路 201 号
wanjing|安徽皖精模具有限公司|AH|合肥市|经开区莲花路 1688 号
chutian|湖北楚天液压件有限公司|HB|武汉市|东西湖区走马岭汇通大道 9 号
shuneng|四川蜀能动力设备有限公司|SC|成都市|龙泉驿区车城东七路 99 号
binhai|天津滨海机电设备有限公司|TJ|天津市|滨海新区黄海路 276 号
minfa|福建闽发五金制品有限公司|FJ|厦门市|集美区杏林湾路 512 号
changli|常州常力轴承有限公司|JS|常州市|武进区湖塘镇长虹路 18 号
xinrui|浙江新锐阀门有限公司|ZJ|温州市|龙湾区滨海园区十一路 77 号
jingke|北京京科仪器有限公司|BJ|北京市|亦庄经济开发区科创十街 15 号
jitong|河北冀通农机有限公司|HE|石家庄市|藁城区经济开发区兴业路 8 号
zhongyuan|河南中原矿山机械有限公司|HA|郑州市|上街区工业路 36 号
xiangjiang|湖南湘江电机有限公司|HN|长沙市|雨花区环保中路 188 号
yuda|重庆渝达摩托车配件有限公司|CQ|重庆市|九龙坡区西彭工业园 3 号
shenzhong|辽宁沈重机床附件有限公司|LN|沈阳市|铁西区北一西路 52 号
qinling|陕西秦岭齿轮传动有限公司|SN|西安市|高新区草堂科技产业基地 6 号
changsheng|江西昌盛精密铸件有限公司|JX|南昌市|小蓝经济开发区汇仁大道 99 号
liujiang|广西柳江机械配件有限公司|GX|柳州市|柳东新区官塘大道 21 号
changxin|吉林长鑫汽车配件有限公司|JL|长春市|汽车经济技术开发区东风大街 7 号
jinyang|山西晋阳铸锻有限公司|SX|太原市|小店区经济技术开发区电子街 4 号
dianzhong|云南滇中机电有限公司|YN|昆明市|经开区信息产业基地 12 号
shenke|深圳深科电子设备有限公司|GD|深圳市|宝安区福永街道凤凰路 45 号
jiahe|浙江嘉禾纺织机械有限公司|ZJ|嘉兴市|秀洲区洪合镇工业路 10 号
jingcheng|无锡精诚液压有限公司|JS|无锡市|惠山区堰桥街道锡澄路 88 号
pujiang|上海浦江包装机械有限公司|SH|上海市|松江区新桥镇新茸路 135 号
longjiang|黑龙江龙江农垦机械有限公司|HL|哈尔滨市|平房区哈南工业新城 2 号
qianfeng|贵州黔峰航空零件有限公司|GZ|贵阳市|经开区小孟工业园 17 号
"""
)
# key | size | salesperson login | contact | contact's title | payment habit |
# payment term (account.account_payment_term_*) | retention money kept back
CUSTOMER_TRADE = _table(
    """
hengyuan|key|sales|钱建国|设备部部长|normal|45days|yes
meituo|key|sales2|黄志明|采购总监|prompt|30days|no
shenlian|key|sales|陆海燕|采购经理|normal|end_following_month|no
hongda|key|sales2|胡振华|总经理|slow|45days|no
qilu|medium|sales|孔德胜|设备科科长|normal|30days|yes
wanjing|medium|sales2|汪丽萍|采购主管|prompt|30days|no
chutian|medium|sales|熊国平|技术副总|slow|45days|no
shuneng|medium|sales2|何永军|采购经理|normal|30days|no
binhai|medium|sales|冯志刚|设备部经理|normal|end_following_month|no
minfa|medium|sales2|林秀英|财务经理|prompt|30days|no
changli|medium|sales|蒋文斌|生产厂长|normal|30days|no
xinrui|medium|sales2|潘晓东|采购经理|slow|30days|no
jingke|small|sales|马丽|采购专员|prompt|30days|no
jitong|small|sales2|高建民|厂长|slow|immediate|no
zhongyuan|small|sales|赵卫东|设备科科长|normal|30days|no
xiangjiang|small|sales2|罗平|采购经理|normal|30days|no
yuda|small|sales|邓小华|总经理|slow|30days|no
shenzhong|small|sales2|刘铁军|技术科科长|normal|45days|no
qinling|small|sales|杜红梅|采购主管|normal|30days|no
changsheng|small|sales2|万志强|副总经理|prompt|immediate|no
liujiang|small|sales|韦春兰|采购经理|normal|30days|no
changxin|small|sales2|孙长春|设备主管|normal|45days|no
jinyang|small|sales|王晋生|厂长|slow|30days|no
dianzhong|small|sales2|杨光明|采购经理|normal|30days|no
shenke|small|sales|陈晓燕|采购经理|prompt|30days|no
jiahe|small|sales2|沈建华|设备部经理|normal|30days|no
jingcheng|small|sales|华卫国|总经理|normal|end_following_month|no
pujiang|small|sales2|朱丽华|采购主管|prompt|30days|no
longjiang|small|sales|李国庆|设备科科长|slow|45days|no
qianfeng|small|sales2|吴德明|技术总监|normal|30days|no
"""
)
CUSTOMERS = [
    (*address, *trade[1:-1], trade[-1] == "yes")
    for address, trade in zip(CUSTOMER_ADDRESSES, CUSTOMER_TRADE, strict=True)
]
# How often each size of customer orders, relative to a small one.
SIZE_WEIGHT = {"key": 12.0, "medium": 4.0, "small": 1.0}
# The salesperson's estimate of each size of customer's potential (1 to 5).
SIZE_POTENTIAL = {"key": 5, "medium": 3, "small": 2}
# Quantity factor of each size of customer.
SIZE_QTY = {"key": 3.0, "medium": 1.6, "small": 1.0}
# Days between the due date and the payment: (earliest, latest, never-paid chance)
PAYMENT_HABITS = {
    "prompt": (-12, 3, 0.0),
    "normal": (-5, 25, 0.01),
    "slow": (12, 80, 0.07),
}
RETENTION_RATE = 0.1

# key | code | name | category | list price | cost | kind | order quantity from |
# to | popularity. Kinds: machine, part, custom (made to order), service.
PRODUCTS = [
    (
        key,
        code,
        name,
        categ,
        float(price),
        float(cost),
        kind,
        (int(low), int(high)),
        int(pop),
    )
    for key, code, name, categ, price, cost, kind, low, high, pop in _table(
        """
lathe|HT-CK6140|数控车床 CK6140|machine|128000|86000|machine|1|2|10
vmc|HT-VMC850|立式加工中心 VMC850|machine|268000|182000|machine|1|1|8
hmc|HT-HMC630|卧式加工中心 HMC630|machine|520000|358000|machine|1|1|2
mill|HT-XK7132|数控铣床 XK7132|machine|95000|64000|machine|1|2|6
grinder|HT-M7130|精密平面磨床 M7130|machine|76000|50500|machine|1|1|4
screw|HT-SFU2510|滚珠丝杠 SFU2510|part|680|390|part|10|40|9
guide|HT-HGR25|直线导轨 HGR25（1 米）|part|460|262|part|10|50|8
spindle|HT-BT40-SP|主轴单元 BT40|part|18500|11200|part|1|4|6
controller|HT-CNC-900|数控系统 HT-900|part|32000|21000|part|1|3|5
fixture|HT-FX-K01|液压夹具套件|part|3800|2100|part|2|8|7
custom_cnc|HT-DZ-CNC|定制数控机床|custom|880000|610000|custom|1|1|0
custom_line|HT-DZ-LINE|定制自动化生产线|custom|1650000|1150000|custom|1|1|0
service|HT-SRV-INST|安装调试服务（人·天）|service|2800|1200|service|2|6|0
"""
    )
]
PRODUCT_ROWS = {row[0]: row for row in PRODUCTS}
PRODUCT_KIND = {row[0]: row[6] for row in PRODUCTS}
PRODUCT_GOODS = [row[0] for row in PRODUCTS if row[6] in ("machine", "part")]
CATEGORIES = {
    "machine": "数控机床",
    "part": "零部件",
    "custom": "定制设备",
    "service": "技术服务",
}
# Days from the order to the promised delivery, by kind of product.
LEAD_DAYS = {"machine": (25, 45), "part": (7, 15), "custom": (75, 120)}
LATE_CHANCE = {"machine": 0.15, "part": 0.1, "custom": 0.35}
DISCOUNT_REASONS = ["年度框架协议价", "批量采购优惠", "老客户优惠"]
# Characters of the unified social credit code (统一社会信用代码).
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CONTACT_PHONE_AREA = {
    "上海市": "021",
    "北京市": "010",
    "天津市": "022",
    "重庆市": "023",
    "苏州市": "0512",
    "常州市": "0519",
    "无锡市": "0510",
    "宁波市": "0574",
    "温州市": "0577",
    "嘉兴市": "0573",
    "佛山市": "0757",
    "深圳市": "0755",
}


# The demo company is Chinese: its texts are written in Chinese when the
# language is installed (see ``_demo_text``).
DEMO_TEXTS_ZH = {
    "Review this quarter's orders and forecast": "回顾本季度订单与预测",
    "Present the new product range": "介绍新产品系列",
    "Follow up on the last delivery": "跟进上次交货情况",
    "Discuss next year's framework agreement": "商谈明年的框架协议",
    "Collect feedback on quality and service": "收集质量与服务反馈",
    "Wants shorter lead times on standard items.": "希望缩短标准品的交货期。",
    "Plans a second production line next year.": "计划明年新增第二条生产线。",
    "Asks for a volume price on the yearly quantity.": "要求按年度用量给予批量价格。",
    "Needs certificates of origin with each delivery.": "每批交货需附原产地证明。",
    "%(purpose)s: met %(contact)s.": "%(purpose)s：已拜访%(contact)s。",
    "the buyer": "采购负责人",
    "Good preparation; keep the follow-up.": "准备充分，请继续跟进。",
    "Order history, open quotations, samples.": "历史订单、未结报价、样品。",
    "Annual credit review": "年度信用复核",
    "Payment record checked.": "已核查回款记录。",
    "New framework agreement expected": "预计签订新的框架协议",
    "Volume order": "批量订单",
    "Customer needs are clear.": "客户需求明确。",
    "Within policy.": "符合公司政策。",
    "Steel prices up 12% since January.": "钢材价格自一月以来上涨 12%。",
    "Customer asked to postpone delivery.": "客户要求推迟交货。",
    "Customer project cancelled by mutual agreement.": "经双方协商，客户项目取消。",
}


def in_demo_lang(method):
    """Run a demo generator in the demo's language, so that what the module
    writes on the way (step names, activities, notes) is in that language."""

    @functools.wraps(method)
    def generate(self, *args, **kwargs):
        lang = self._demo_lang()
        if not lang:
            return method(self, *args, **kwargs)
        # Odoo loads a module's translations after its demo data: the names
        # of its records (review rules, KPIs, templates) would be copied in
        # English. Load them first, once for all the generators; the later
        # load finds them there.
        loaded = self.env.cr.cache.setdefault("sale_process_control_demo_terms", set())
        if lang not in loaded:
            self.env["ir.module.module"].sudo()._load_module_terms(
                ["sale_process_control"], [lang]
            )
            loaded.add(lang)
        return method(self.with_context(lang=lang), *args, **kwargs)

    return generate


class SaleProcessControlDemo(models.AbstractModel):
    _name = "sale.process.control.demo"
    _description = "Sales Process Control Demo Data"

    @api.model
    @in_demo_lang
    def _generate_demo_history(self):
        """Create the demo company's trading history (loaded with demo data only).

        Deterministic for a given day: the history always covers the eighteen
        months up to today. Extensions add their own steps after it."""
        company = self.env.ref(
            "sale_process_control.company_demo", raise_if_not_found=False
        )
        if not company or self.env["sale.order"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            return True
        demo = self._demo_with_company(company)
        rng = random.Random(DEMO_SEED)
        demo._demo_offline()
        demo._demo_company(company)
        demo._demo_users()
        customers = demo._demo_customers(company, rng)
        products = demo._demo_products(company)
        plans = demo._demo_order_plans(customers, products, rng)
        demo._demo_stock(company, products, plans)
        orders = demo._demo_orders(company, products, plans)
        plan_by_order = dict(zip(orders.ids, plans, strict=True))
        demo._demo_deliveries(orders, plan_by_order)
        invoices = demo._demo_invoices(orders, plan_by_order)
        demo._demo_payments(invoices, plan_by_order, rng)
        demo._demo_quotations(company, customers, products, rng)
        _logger.info(
            "Demo history: %s orders, %s invoices for %s",
            len(orders),
            len(invoices),
            company.name,
        )
        return True

    # ------------------------------------------------------------------
    # Set-up
    # ------------------------------------------------------------------
    def _demo_with_company(self, company):
        return self.with_company(company).with_context(
            allowed_company_ids=[company.id],
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            mail_auto_subscribe_no_notify=True,
        )

    def _demo_xmlids(self, records_by_name):
        """Give created records an external id, so that later demo steps and
        extensions find them with env.ref()."""
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"sale_process_control.{name}",
                    "record": record,
                    "noupdate": True,
                }
                for name, record in records_by_name.items()
            ]
        )

    def _demo_today(self):
        return fields.Date.context_today(self)

    def _demo_datetime(self, day, rng):
        """A moment of the business day `day` (Shanghai hours), in UTC."""
        minutes = rng.randint(*BUSINESS_MINUTES_UTC)
        return datetime.combine(day, time()) + timedelta(minutes=minutes)

    def _demo_company(self, company):
        """Chart of accounts, 13% VAT and the yuan price list of the company."""
        if not company.chart_template:
            # _load() rather than try_loading(): the registry is still loading
            # and try_loading() would warn about it.
            self.env["account.chart.template"]._load(
                "generic_coa", company, install_demo=False
            )
        # The generic chart sets its own currency (dollars) on the company: the
        # demo company trades in yuan, set again before any entry exists.
        yuan = self.env.ref("base.CNY")
        if company.currency_id != yuan:
            company.currency_id = yuan
        china = self.env.ref("base.cn")
        if company.account_fiscal_country_id != china:
            sale_tax = company.account_sale_tax_id
            purchase_tax = company.account_purchase_tax_id
            group = sale_tax.tax_group_id.copy(
                {"name": "增值税 13%", "country_id": china.id}
            )
            vat = {"amount": 13.0, "tax_group_id": group.id, "country_id": china.id}
            company.write(
                {
                    "account_fiscal_country_id": china.id,
                    "account_sale_tax_id": sale_tax.copy(
                        dict(vat, name="销项税 13%", invoice_label="增值税 13%")
                    ).id,
                    "account_purchase_tax_id": purchase_tax.copy(
                        dict(vat, name="进项税 13%", invoice_label="增值税 13%")
                    ).id,
                }
            )
            (sale_tax | purchase_tax).active = False
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "人民币价格表",
                "currency_id": company.currency_id.id,
                "company_id": company.id,
                "sequence": 1,
            }
        )
        self._demo_xmlids({"pricelist_cny_demo": pricelist})

    def _demo_lang(self):
        """Chinese when the language is installed, else the default."""
        return "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else None

    def _demo_offline(self):
        """A demo database works without the internet and in both languages:
        the jobs of other modules that call Odoo's online services are
        switched off, and English stays an active language."""
        for xmlid in (
            "crm_iap_enrich.ir_cron_lead_enrichment",
            "partner_autocomplete.ir_cron_partner_autocomplete",
            "mail.ir_cron_module_update_notification",
        ):
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo().active = False
        self.env["res.lang"]._activate_lang("en_US")

    def _demo_text(self, text):
        """A demo text in the demo's language."""
        if self._demo_lang():
            return DEMO_TEXTS_ZH.get(text, text)
        return text

    def _demo_users(self):
        """Speak Chinese to the demo users when the language is installed."""
        if not self._demo_lang():
            return
        users = self.env["res.users"].search(
            [("company_id", "=", self.env.company.id), ("share", "=", False)]
        )
        users.write({"lang": "zh_CN"})

    def _demo_customers(self, company, rng):
        """Create the customer companies with their contact person; return one
        dict per customer (its records and trading habits)."""
        users = {
            login: self.env.ref(f"sale_process_control.user_{login}_demo")
            for login in ("sales", "sales2")
        }
        partners = self.env["res.partner"].create(
            [self._demo_customer_vals(row, company, users, rng) for row in CUSTOMERS]
        )
        contacts = self.env["res.partner"].create(
            [
                self._demo_contact_vals(row, partner, rng)
                for row, partner in zip(CUSTOMERS, partners, strict=True)
            ]
        )
        xmlids, customers = {}, []
        for row, partner, contact in zip(CUSTOMERS, partners, contacts, strict=True):
            key, size, login, habit, retention = row[0], row[5], row[6], row[9], row[11]
            xmlids[f"customer_{key}_demo"] = partner
            xmlids[f"customer_{key}_contact_demo"] = contact
            customers.append(
                {
                    "key": key,
                    "partner": partner,
                    "contact": contact,
                    "user": users[login],
                    "size": size,
                    "habit": habit,
                    "retention": retention,
                    # Customers of a size differ in how often they buy.
                    "weight": SIZE_WEIGHT[size] * rng.uniform(0.6, 1.4),
                    "pay_day": rng.choice([5, 10, 15, 20, 25]),
                }
            )
        self._demo_xmlids(xmlids)
        self._demo_preferences(customers, rng)
        return customers

    def _demo_customer_vals(self, row, company, users, rng):
        key, name, province, city, street, size, login, term = (
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[10],
        )
        area = CONTACT_PHONE_AREA.get(city, f"0{rng.randint(351, 898)}")
        code = "".join(rng.choices(CREDIT_CODE_CHARS, k=10))
        return {
            "name": name,
            "is_company": True,
            "company_id": company.id,
            "street": street,
            "city": city,
            "state_id": self.env.ref(f"base.state_cn_{province}").id,
            "country_id": self.env.ref("base.cn").id,
            "zip": f"{rng.randint(100000, 850000)}",
            "phone": f"{area}-{rng.randint(52000000, 89999999)}",
            "email": f"purchase@{key}.example.com",
            "website": f"https://www.{key}.example.com",
            "vat": f"91{rng.randint(110000, 659000)}{code}",
            "user_id": users[login].id,
            "customer_rank": 1,
            "potential_score": SIZE_POTENTIAL[size],
            "lang": self._demo_lang() or self.env.lang,
            "property_payment_term_id": self.env.ref(
                f"account.account_payment_term_{term}"
            ).id,
            "property_product_pricelist": self.env.ref(
                "sale_process_control.pricelist_cny_demo"
            ).id,
        }

    def _demo_contact_vals(self, row, partner, rng):
        key, contact, title = row[0], row[7], row[8]
        prefix = rng.choice([135, 136, 138, 139, 150, 158, 186, 189])
        return {
            "name": contact,
            "function": title,
            "type": "contact",
            "parent_id": partner.id,
            "company_id": partner.company_id.id,
            "lang": partner.lang,
            "mobile": f"{prefix}{rng.randint(0, 99999999):08d}",
            "email": f"contact@{key}.example.com",
        }

    def _demo_preferences(self, customers, rng):
        """Each customer keeps buying a few products of its choice."""
        popularity = [PRODUCT_ROWS[key][8] for key in PRODUCT_GOODS]
        for customer in customers:
            picks = set()
            while len(picks) < 3:
                picks.add(rng.choices(PRODUCT_GOODS, weights=popularity)[0])
            customer["preferred"] = sorted(picks)

    def _demo_products(self, company):
        """Create the product catalogue; return {key: product.product}."""
        categories = self.env["product.category"].create(
            [{"name": name} for name in CATEGORIES.values()]
        )
        category_by_kind = dict(zip(CATEGORIES, categories, strict=True))
        sale_tax = company.account_sale_tax_id
        purchase_tax = company.account_purchase_tax_id
        vals_list = []
        for _key, code, name, categ, price, cost, kind, _qty, _pop in PRODUCTS:
            vals = {
                "name": name,
                "default_code": code,
                "categ_id": category_by_kind[categ].id,
                "company_id": company.id,
                "list_price": price,
                "standard_price": cost,
                "taxes_id": [Command.set(sale_tax.ids)],
                "supplier_taxes_id": [Command.set(purchase_tax.ids)],
                "sale_ok": True,
                "purchase_ok": kind == "part",
            }
            if kind == "service":
                vals.update(type="service", invoice_policy="order")
            else:
                vals.update(
                    type="consu",
                    is_storable=True,
                    invoice_policy="delivery",
                    sale_delay=LEAD_DAYS[kind][0],
                )
            if kind == "custom":
                vals.update(is_special_product=True, requires_contract=True)
            vals_list.append(vals)
        templates = self.env["product.template"].create(vals_list)
        products = {
            row[0]: template.product_variant_id
            for row, template in zip(PRODUCTS, templates, strict=True)
        }
        self._demo_xmlids(
            {f"product_{key}_demo": product for key, product in products.items()}
        )
        return products

    # ------------------------------------------------------------------
    # Trading history
    # ------------------------------------------------------------------
    def _demo_order_plans(self, customers, products, rng):
        """Decide every historical order: customer, day, lines, promised and
        actual delivery, invoice day. Returns the plans in order of date."""
        today = self._demo_today()
        first_month = today.replace(day=1) - relativedelta(months=HISTORY_MONTHS - 1)
        plans = []
        for index in range(HISTORY_MONTHS):
            month = first_month + relativedelta(months=index)
            month_end = month + relativedelta(months=1, days=-1)
            days = [
                month + timedelta(days=offset)
                for offset in range((month_end - month).days + 1)
                if (month + timedelta(days=offset)).weekday() < 5
            ]
            open_days = [day for day in days if day < today]
            if not open_days:
                continue
            expected = (
                MONTHLY_ORDERS
                * SEASONALITY[month.month]
                * (1 + 0.25 * index / HISTORY_MONTHS)
                * len(open_days)
                / len(days)
            )
            count = max(round(expected * rng.uniform(0.85, 1.15)), 0)
            weights = [customer["weight"] for customer in customers]
            for _order in range(count):
                customer = rng.choices(customers, weights=weights)[0]
                day = rng.choice(open_days)
                plans.append(self._demo_order_plan(customer, day, products, rng))
        plans.sort(key=lambda plan: plan["date_order"])
        return plans

    def _demo_order_plan(self, customer, day, products, rng):
        lines = self._demo_order_lines(customer, products, rng)
        kinds = {PRODUCT_KIND[line["key"]] for line in lines} - {"service"}
        lead = max(rng.randint(*LEAD_DAYS[kind]) for kind in kinds)
        date_order = self._demo_datetime(day, rng)
        commitment = self._demo_datetime(day + timedelta(days=lead), rng)
        kind = next(k for k in ("custom", "machine", "part") if k in kinds)
        if rng.random() < LATE_CHANCE[kind]:
            done = commitment + timedelta(days=rng.randint(2, 24))
        else:
            done = commitment - timedelta(days=rng.randint(0, min(6, lead - 2)))
        invoice_date = done.date() + timedelta(days=rng.randint(0, 4))
        return {
            "customer": customer,
            "date_order": date_order,
            "commitment": commitment,
            "done": done,
            "invoice_date": invoice_date,
            "lines": lines,
            "complex": kind == "custom",
            # Machines are kept back in part until their warranty year ends.
            "retention": customer["retention"] and kind != "part",
            "ref": f"PO-{day:%y%m}-{rng.randint(1, 9999):04d}",
        }

    def _demo_order_lines(self, customer, products, rng):
        size = customer["size"]
        custom_chance = {"key": 0.09, "medium": 0.05, "small": 0.0}[size]
        if rng.random() < custom_chance:
            keys = [rng.choices(["custom_cnc", "custom_line"], weights=[3, 1])[0]]
        else:
            count = rng.choices([1, 2, 3], weights=[5, 3, 1])[0]
            keys = []
            for _line in range(count):
                pool = customer["preferred"] if rng.random() < 0.8 else PRODUCT_GOODS
                key = rng.choice(pool)
                if key not in keys:
                    keys.append(key)
        lines = []
        for key in keys:
            row = PRODUCT_ROWS[key]
            low, high = row[7]
            qty = rng.randint(low, high)
            if row[6] == "part":
                qty = max(1, round(qty * SIZE_QTY[size] * rng.uniform(0.7, 1.3)))
            elif row[6] == "machine" and size == "key" and rng.random() < 0.3:
                qty += rng.randint(1, 2)
            price = None
            if row[6] == "custom":
                # Made to order: the price is negotiated for each order.
                price = round(row[4] * rng.uniform(0.85, 1.25), -3)
            lines.append(
                {
                    "key": key,
                    "qty": qty,
                    "price": price,
                    "discount": self._demo_discount(size, row[6], rng),
                }
            )
        machines = sum(
            line["qty"] for line in lines if PRODUCT_KIND[line["key"]] != "part"
        )
        if machines and rng.random() < 0.5:
            days = machines * rng.randint(*PRODUCT_ROWS["service"][7])
            lines.append({"key": "service", "qty": days, "price": None, "discount": 0})
        return lines

    def _demo_discount(self, size, kind, rng):
        # Within the salesperson's authority: history shows no breach of policy.
        chance = {"key": 0.5, "medium": 0.25, "small": 0.08}[size]
        if kind == "custom" or rng.random() >= chance:
            return 0.0
        return rng.choice([2.0, 3.0, 5.0] if size != "small" else [2.0, 3.0])

    def _demo_stock(self, company, products, plans):
        """Stock the warehouse before the first order with what the history
        delivers, plus what is still on hand today."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        demand = defaultdict(float)
        for plan in plans:
            for line in plan["lines"]:
                demand[line["key"]] += line["qty"]
        quants = self.env["stock.quant"].with_context(inventory_mode=True)
        vals_list = []
        for key, product in products.items():
            if not product.is_storable:
                continue
            on_hand = {"machine": 4, "part": 60, "custom": 0}[PRODUCT_KIND[key]]
            if key in ("spindle", "controller"):
                on_hand = 12
            vals_list.append(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": demand[key] + on_hand,
                }
            )
        quants = quants.create(vals_list)
        quants.action_apply_inventory()
        start = plans[0]["date_order"] - timedelta(days=20)
        moves = self.env["stock.move"].search(
            [("is_inventory", "=", True), ("company_id", "=", company.id)]
        )
        moves.write({"date": start})
        moves.move_line_ids.write({"date": start})

    def _demo_orders(self, company, products, plans):
        """Create and confirm the historical orders, in the order of the plans."""
        orders = self._demo_create_orders(company, products, plans)
        orders.action_confirm()
        for order, plan in zip(orders, plans, strict=True):
            # Confirmation stamps the order with today; give it its real day.
            order.date_order = plan["date_order"]
        return orders

    def _demo_create_orders(self, company, products, plans):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        pricelist = self.env.ref("sale_process_control.pricelist_cny_demo")
        return self.env["sale.order"].create(
            [
                self._demo_order_vals(plan, company, warehouse, pricelist, products)
                for plan in plans
            ]
        )

    def _demo_order_vals(self, plan, company, warehouse, pricelist, products):
        customer = plan["customer"]
        names = "、".join(
            products[line["key"]].name
            for line in plan["lines"]
            if line["key"] != "service"
        )
        return {
            "partner_id": customer["partner"].id,
            "company_id": company.id,
            "warehouse_id": warehouse.id,
            "pricelist_id": pricelist.id,
            "user_id": customer["user"].id,
            "team_id": self.env.ref("sale_process_control.crm_team_east_demo").id,
            "date_order": plan["date_order"],
            "validity_date": plan["date_order"].date() + timedelta(days=30),
            "commitment_date": plan["commitment"],
            "client_order_ref": plan["ref"],
            "customer_contact_id": customer["contact"].id,
            "requirement_description": f"{names}，按标准技术协议交付。",
            "has_complex_requirements": plan["complex"],
            "order_line": [
                Command.create(self._demo_line_vals(line, products))
                for line in plan["lines"]
            ],
        }

    def _demo_line_vals(self, line, products):
        vals = {
            "product_id": products[line["key"]].id,
            "product_uom_qty": line["qty"],
            "discount": line["discount"],
        }
        if line["price"]:
            vals["price_unit"] = line["price"]
        if line["discount"]:
            vals["discount_reason"] = DISCOUNT_REASONS[int(line["discount"]) % 3]
        return vals

    def _demo_deliveries(self, orders, plans):
        """Validate the deliveries that took place before now and date them."""
        now = fields.Datetime.now()
        delivered = orders.filtered(lambda o: plans[o.id]["done"] < now)
        pickings = delivered.picking_ids.filtered(lambda p: p.state == "assigned")
        pickings.with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=pickings.ids,
            skip_sms=True,
        ).button_validate()
        for picking in pickings:
            plan = plans[picking.sale_id.id]
            picking.move_ids.write({"date": plan["done"]})
            picking.move_ids.move_line_ids.write({"date": plan["done"]})
            picking.write({"date": plan["date_order"], "date_done": plan["done"]})

    def _demo_invoices(self, orders, plans):
        """Invoice the delivered orders on their invoice day and post them."""
        now = fields.Datetime.now()
        today = self._demo_today()
        to_invoice = orders.filtered(
            lambda o: plans[o.id]["done"] < now and plans[o.id]["invoice_date"] <= today
        )
        invoices = to_invoice._create_invoices(grouped=True)
        by_day = defaultdict(lambda: self.env["account.move"])
        for invoice in invoices:
            order = invoice.line_ids.sale_line_ids.order_id
            by_day[plans[order.id]["invoice_date"]] |= invoice
        for day, day_invoices in by_day.items():
            day_invoices.invoice_date = day
        invoices.action_post()
        return invoices

    def _demo_payments(self, invoices, plans, rng):
        """Collect the invoices as each customer's payment habit says: most
        paid, some not yet due, some overdue, a few retentions still open."""
        today = self._demo_today()
        full, partial = defaultdict(list), defaultdict(list)
        for invoice in invoices:
            plan = plans[invoice.line_ids.sale_line_ids.order_id.id]
            customer = plan["customer"]
            earliest, latest, never = PAYMENT_HABITS[customer["habit"]]
            if rng.random() < never:
                continue
            delay = rng.randint(earliest, latest)
            paid_on = self._demo_payment_day(
                max(
                    invoice.invoice_date_due + timedelta(days=delay),
                    invoice.invoice_date + timedelta(days=1),
                ),
                customer["pay_day"],
            )
            if paid_on > today:
                continue
            if not plan["retention"]:
                full[paid_on].append(invoice)
                continue
            # Retention money (质保金) is paid when the warranty year ends.
            amount = invoice.currency_id.round(
                invoice.amount_total * (1 - RETENTION_RATE)
            )
            partial[paid_on].append((invoice, amount))
            released = self._demo_payment_day(
                invoice.invoice_date + timedelta(days=365 + rng.randint(0, 30)),
                customer["pay_day"],
            )
            if released <= today:
                full[released].append(invoice)
        for day in sorted(set(full) | set(partial)):
            for invoice, amount in partial[day]:
                self._demo_register_payment(
                    invoice,
                    day,
                    amount=amount,
                    payment_difference_handling="open",
                )
            if full[day]:
                self._demo_register_payment(
                    self.env["account.move"].union(*full[day]), day
                )

    def _demo_register_payment(self, invoices, day, **values):
        """Register the payment of `invoices` on `day` as the accountant does:
        one payment per customer and day."""
        # The lines are given rather than active_ids: one context for all the
        # payments keeps the number of environments of the transaction small.
        lines = invoices.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        )
        self.env["account.payment.register"].create(
            dict(
                values,
                line_ids=[Command.set(lines.ids)],
                payment_date=day,
                group_payment=True,
            )
        )._create_payments()

    def _demo_payment_day(self, day, pay_day):
        """Customers settle once a month, on their own day of the month (月结):
        the first settlement day from `day` on, a working day."""
        settlement = day.replace(day=pay_day)
        if settlement < day:
            settlement += relativedelta(months=1)
        while settlement.weekday() > 4:
            settlement += timedelta(days=1)
        return settlement

    def _demo_quotations(self, company, customers, products, rng):
        """Open quotations of the last weeks, and a few lost ones."""
        today = self._demo_today()
        weights = [customer["weight"] for customer in customers]
        plans = []
        for index in range(18):
            customer = rng.choices(customers, weights=weights)[0]
            day = today - timedelta(
                days=rng.randint(1, 20) if index < 8 else rng.randint(30, 480)
            )
            while day.weekday() > 4:
                day -= timedelta(days=1)
            plans.append(self._demo_order_plan(customer, day, products, rng))
        quotations = self._demo_create_orders(company, products, plans)
        quotations[3:8].action_quotation_sent()
        # Lost to competitors.
        quotations[8:]._action_cancel()
