/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
//
// The sections of the Sales app as two roles see them: a salesperson finds
// customers, credit, contracts and performance (their own targets) but no
// review or supervision section; a department head opens the quotations to
// review and the sales analysis.
// tests/test_tour.py creates the users and the records.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const tours = registry.category("web_tour.tours");

const CUSTOMER = "Tour Menu Customer";

function section(xmlid) {
    return `[data-menu-xmlid='sale_process_control.${xmlid}']`;
}

function openSection(xmlid, name) {
    return {
        content: `Open the ${name} section`,
        trigger: `.o_menu_sections button${section(xmlid)}`,
        run: "click",
    };
}

function openEntry(xmlid, name) {
    return {
        content: `Open ${name}`,
        trigger: `.dropdown-item${section(xmlid)}`,
        run: "click",
    };
}

function breadcrumb(name) {
    return {
        content: `${name} is open`,
        trigger: `.o_control_panel .o_breadcrumb .active:contains('${name}')`,
    };
}

tours.add("sale_process_control_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            // Every section sits in the bar (none hidden under "More"), so a
            // section missing from the bar is missing from the menu.
            content: "Customers, credit, contracts and performance are there; reviews and supervision are not",
            trigger: [
                ".o_menu_sections",
                `:has(${section("customer_visit_menu")})`,
                `:has(${section("credit_menu")})`,
                `:has(${section("contract_menu")})`,
                `:has(${section("performance_menu")})`,
                ":not(:has(.o_menu_sections_more))",
                `:not(:has(${section("review_menu")}))`,
                `:not(:has(${section("supervision_menu")}))`,
            ].join(""),
        },
        openSection("customer_visit_menu", "Customers & Visits"),
        {
            content: "The section offers no tier review to salespeople",
            trigger: `.dropdown-menu:has(.dropdown-item${section("customer_menu")}):not(:has(${section("sale_tier_review_menu")}))`,
        },
        openEntry("customer_menu", "Customers"),
        breadcrumb("Customers"),
        {
            content: "The customers show as cards",
            trigger: `.o_kanban_view .o_kanban_record:contains('${CUSTOMER}')`,
        },
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The customers show in a list",
            trigger: `.o_list_view .o_data_row td[name=complete_name]:contains('${CUSTOMER}'), .o_list_view .o_data_row td[name=display_name]:contains('${CUSTOMER}')`,
        },
    ],
});

tours.add("sale_process_control_head_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "The department head works in reviews, credit, contracts and performance",
            trigger: [
                ".o_menu_sections",
                `:has(${section("review_menu")})`,
                `:has(${section("credit_menu")})`,
                `:has(${section("contract_menu")})`,
                `:has(${section("performance_menu")})`,
                `:not(:has(${section("supervision_menu")}))`,
            ].join(""),
        },
        openSection("review_menu", "Reviews"),
        openEntry("order_review_menu", "Quotations to Review"),
        breadcrumb("Quotations to Review"),
        {
            content: "The salesperson's quotation waits in the list",
            trigger: `.o_list_view .o_data_row td[name=partner_id]:contains('${CUSTOMER}')`,
        },
        openSection("performance_menu", "Performance"),
        openEntry("sales_analysis_menu", "Sales Analysis"),
        breadcrumb("Sales Analysis"),
        {
            content: "The analysis draws its graph",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
