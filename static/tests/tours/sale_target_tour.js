/** @odoo-module **/
// A sales director opens Targets, creates an annual company target and
// decomposes it into quarters; the four quarters appear as its children
// (checked by tests/test_sale_target_tour.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("spc_target_decompose", {
    steps: () => [
        {
            content: "Open the Performance section",
            trigger: ".o_main_navbar button:contains('Performance'), .o_main_navbar a:contains('Performance')",
            run: "click",
        },
        {
            content: "Open Targets",
            trigger: ".dropdown-item:contains('Targets'):not(:contains('Adjustments'))",
            run: "click",
        },
        {
            content: "Create a target",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Annual Target",
        },
        {
            content: "Set the year",
            trigger: ".o_field_widget[name=year] input",
            run: "edit 2031",
        },
        {
            content: "Set the amount",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 1000",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Decompose",
            trigger: ".o_statusbar_buttons button[name=action_open_decompose]",
            run: "click",
        },
        {
            content: "The wizard proposes the four quarters",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:nth-child(4)",
        },
        {
            content: "Split evenly",
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "The four quarters are listed, the last one fourth",
            trigger: ".o_list_view .o_data_row:nth-child(4) td[name=name]:contains('Tour Annual Target / Q4')",
        },
    ],
});
