/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
//
// A salesperson opens one of their customers, logs a visit from the customer
// form, writes what happened and marks it done; back on the customer, the
// visit counts (records made by tests/test_sale_visit_tour.py).

import { registry } from "@web/core/registry";

const CUSTOMER = "Tour Visit Customer";
const OVERDUE_CUSTOMER = "Tour Overdue Customer";

/**
 * From the Sales app: Customers & Visits > Customers, search ``name`` and
 * open it.
 */
function openCustomerSteps(name) {
    return [
        {
            content: "Open the Customers & Visits section",
            trigger: ".o_menu_sections button[data-menu-xmlid='sale_process_control.customer_visit_menu']",
            run: "click",
        },
        {
            content: "Open the customers",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.customer_menu']",
            run: "click",
        },
        {
            content: `Search ${name}`,
            trigger: ".o_searchview_input",
            run: `edit ${name}`,
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: `.o_kanban_record:contains('${name}'), .o_data_row td:contains('${name}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("spc_visit_log_from_customer", {
    steps: () => [
        ...openCustomerSteps(CUSTOMER),
        {
            content: "The customer is visited every month and has no visit yet",
            trigger: ".o_form_view .o_field_widget[name=visit_interval]:contains('Every month')",
        },
        {
            content: "Log a visit",
            trigger: ".o_form_view button[name=action_log_visit]",
            run: "click",
        },
        {
            content: "Name the purpose",
            trigger: ".o_form_view .o_field_widget[name=purpose] input",
            run: "edit Present the new range",
        },
        {
            content: "Open the visit record",
            trigger: ".o_notebook .nav-link:contains('Visit Record')",
            run: "click",
        },
        {
            content: "Write what happened",
            trigger: ".o_field_widget[name=summary] textarea",
            run: "edit Met the buyer; samples approved, quotation next week.",
        },
        {
            content: "Write the needs heard",
            trigger: ".o_field_widget[name=customer_needs] textarea",
            run: "edit Shorter lead times on standard parts.",
        },
        {
            content: "Mark the visit as done",
            trigger: ".o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Back to the customer",
            trigger: `.o_breadcrumb a:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The customer shows one visit",
            trigger: ".o_form_view button[name=action_view_visits] .o_stat_value:contains('1')",
        },
    ],
});

// A salesperson working in Chinese finds an overdue customer among their own
// ones: the due date shown is the missed one, with the badge; they log the
// visit and the badge goes.

registry.category("web_tour.tours").add("spc_visit_overdue_zh", {
    steps: () => [
        ...openCustomerSteps(OVERDUE_CUSTOMER),
        {
            content: "Overdue since the missed window: its end date, with the badge",
            trigger: ".o_form_view .o_row:has(.o_field_widget[name=visit_next_due_date]) .badge:contains('逾期')",
        },
        {
            content: "Log a visit",
            trigger: ".o_form_view button[name=action_log_visit]",
            run: "click",
        },
        {
            content: "Name the purpose",
            trigger: ".o_form_view .o_field_widget[name=purpose] input",
            run: "edit 回顾订单与交期",
        },
        {
            content: "Open the visit record",
            trigger: ".o_notebook a[name=visit_record]",
            run: "click",
        },
        {
            content: "Write what happened",
            trigger: ".o_field_widget[name=summary] textarea",
            run: "edit 与采购经理会面，确认下季度需求。",
        },
        {
            content: "Mark the visit as done",
            trigger: ".o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('已完成')",
        },
        {
            content: "Back to the customer",
            trigger: `.o_breadcrumb a:contains('${OVERDUE_CUSTOMER}')`,
            run: "click",
        },
        {
            content: "No longer overdue",
            trigger: ".o_form_view:has(.o_field_widget[name=visit_next_due_date]):not(:has(.o_row .badge:contains('逾期')))",
        },
    ],
});
