/** @odoo-module **/
// A salesperson opens the late orders, finds the partly delivered order and
// records the customer's acceptance with a quality remark (records made by
// tests/test_tour_execution.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("spc_execution_acceptance", {
    steps: () => [
        {
            content: "Open the Orders menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open the late or at-risk orders",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.sale_order_execution_menu']",
            run: "click",
        },
        {
            content: "Open the late order of the tour customer",
            trigger: ".o_data_row td:contains('Tour Execution Customer')",
            run: "click",
        },
        {
            content: "Open the Execution tab",
            trigger: ".o_notebook .nav-link:contains('Execution')",
            run: "click",
        },
        {
            content: "The order is late",
            trigger: ".alert-danger:contains('The delivery is late')",
        },
        {
            content: "Record the customer's acceptance",
            trigger: ".o_statusbar_buttons button[name=action_record_acceptance]",
            run: "click",
        },
        {
            content: "Accepted with remarks",
            trigger: ".modal .o_field_widget[name=result] input[data-value=accepted_remarks]",
            run: "click",
        },
        {
            content: "About quality",
            trigger: ".modal .o_field_widget[name=problem_type] input[data-value=quality]",
            run: "click",
        },
        {
            content: "Write the customer's remarks",
            trigger: ".modal .o_field_widget[name=remarks] textarea",
            run: "edit Scratched surface on two pieces",
        },
        {
            content: "Save the acceptance",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The acceptance is listed on the order",
            trigger: ".o_field_widget[name=acceptance_ids] td:contains('Accepted with Remarks')",
        },
    ],
});
