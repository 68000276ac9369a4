# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
{
    "name": "Sales Process Control",
    "summary": "Run the sales department by its written rules: customer tiers "
    "and visits, order review, discount authority, credit, contracts, "
    "targets and appraisal",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Process Control contributors",
    "website": "https://github.com/sale-process-control/sale_process_control",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "sale_crm",
        "sale_margin",
    ],
    "external_dependencies": {
        "python": ["cn2an"],
    },
    "data": [
        "security/sale_process_control_security.xml",
        "security/sale_visit_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/sale_review_rule_data.xml",
        "data/sale_customer_data.xml",
        "data/sale_visit_data.xml",
        "reports/sale_order_reports.xml",
        "reports/sale_order_templates.xml",
        "views/sale_approval_views.xml",
        "views/sale_order_views.xml",
        "views/sale_portal_templates.xml",
        "views/sale_review_rule_views.xml",
        "views/sale_price_change_views.xml",
        "views/sale_customer_tier_views.xml",
        "views/sale_tier_review_views.xml",
        "views/res_partner_views.xml",
        "views/sale_visit_views.xml",
        "views/sale_customer_feedback_views.xml",
        "reports/sale_visit_compliance_report_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_process_control_menus.xml",
        "views/sale_visit_menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/sale_history_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sale_process_control/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
