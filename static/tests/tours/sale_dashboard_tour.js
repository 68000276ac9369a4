/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
//
// A department head opens the sales dashboard, sees the best product and
// opens the order lines behind it, then the orders on credit hold.
// tests/test_sale_dashboard_tour.py creates the users and the records.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sale_process_control_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Open the Performance section",
            trigger: ".o_menu_sections button[data-menu-xmlid='sale_process_control.performance_menu']",
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.sale_dashboard_menu']",
            run: "click",
        },
        {
            content: "The sales trend is drawn",
            trigger: ".o_sale_dashboard canvas.o_sale_dashboard_trend",
        },
        {
            content: "Switch to this year",
            trigger: ".o_sale_dashboard_period[data-period='year']",
            run: "click",
        },
        {
            content: "Open the best product's order lines",
            trigger: ".o_sale_dashboard_top_products .o_sale_dashboard_product:contains('Dashboard Tour Gear')",
            run: "click",
        },
        {
            content: "The order lines of the product are listed",
            trigger: ".o_list_view .o_data_row:contains('Dashboard Tour Gear')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_control_panel .o_breadcrumb a:contains('Sales Dashboard')",
            run: "click",
        },
        {
            content: "Open the orders on credit hold",
            trigger: ".o_sale_dashboard_credit_holds",
            run: "click",
        },
        {
            content: "The held order is listed",
            trigger: ".o_list_view .o_data_row:contains('Dashboard Tour Customer')",
        },
    ],
});
