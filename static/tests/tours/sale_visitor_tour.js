/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
//
// A salesperson registers a walk-in visitor: the registration opens the new
// opportunity with the intent level and the follow-up call scheduled.
// tests/test_sale_visitor_tour.py creates the user.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const VISITOR = "Tour Visitor Qian";
const COMPANY = "Tour Visiting Works";

registry.category("web_tour.tours").add("sale_visitor_register_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Open the Customers & Visits section",
            trigger: ".o_menu_sections button[data-menu-xmlid='sale_process_control.customer_visit_menu']",
            run: "click",
        },
        {
            content: "Open Visitor Registration",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.sale_visitor_menu']",
            run: "click",
        },
        {
            content: "Visitor Registration is open",
            trigger: ".o_control_panel .o_breadcrumb .active:contains('Visitor Registration')",
        },
        {
            content: "Register a new visitor",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The visitor's name",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: `edit ${VISITOR}`,
        },
        {
            content: "The visitor's company",
            trigger: ".o_form_view .o_field_widget[name=partner_name] input",
            run: `edit ${COMPANY}`,
        },
        {
            content: "The visitor's phone",
            trigger: ".o_form_view .o_field_widget[name=phone] input",
            run: "edit 021 5555 0199",
        },
        {
            content: "Why they came",
            trigger: ".o_form_view .o_field_widget[name=purpose] input",
            run: "edit Two lathes for a new workshop",
        },
        {
            content: "High intent",
            trigger: ".o_form_view .o_field_widget[name=intent_level] input[data-value=high]",
            run: "click",
        },
        {
            content: "Register the visitor",
            trigger: ".o_form_view button[name=action_register]",
            run: "click",
        },
        {
            content: "The new opportunity opens",
            trigger: `.o_control_panel .o_breadcrumb .active:contains('Visitor: ${COMPANY}')`,
        },
        {
            content: "The opportunity shows its intent level",
            trigger: ".o_form_view .o_field_widget[name=intent_level] select",
        },
        {
            content: "The follow-up call is scheduled",
            trigger: `.o-mail-Activity:contains('Follow up visitor ${VISITOR}')`,
        },
    ],
});
