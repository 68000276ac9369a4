/** @odoo-module **/
// Tours of the appraisal flow. The records come from the Python test
// (tests/test_sale_appraisal_tour.py), which also checks the database between
// the tours and lets the salesperson acknowledge in between.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("spc_appraisal_generate_and_score", {
    steps: () => [
        {
            content: "Open the Performance section",
            trigger: ".o_main_navbar button:contains('Performance')",
            run: "click",
        },
        {
            content: "Generate appraisals",
            trigger: ".dropdown-item:contains('Generate Appraisals')",
            run: "click",
        },
        {
            content: "Choose the template",
            trigger: ".modal div[name=template_id] input",
            run: "edit Tour Quarterly",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains('Tour Quarterly')",
            run: "click",
        },
        {
            content: "Year",
            trigger: ".modal div[name=year] input",
            run: "edit 2026",
        },
        {
            content: "Choose the team",
            trigger: ".modal div[name=team_id] input",
            run: "edit Tour Team",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains('Tour Team')",
            run: "click",
        },
        {
            content: "Its members are filled in",
            trigger: ".modal div[name=user_ids] .o_tag:contains('Tour Salesperson')",
        },
        {
            content: "Generate",
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            content: "Open the salesperson's appraisal",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains('Tour Quarterly')",
            run: "click",
        },
        {
            content: "The sales amount is computed",
            trigger: "div[name=line_ids] .o_data_row td[name=value]:contains('500.00')",
        },
        {
            content: "Open the qualitative criteria",
            trigger: ".o_notebook .nav-link:contains('Qualitative')",
            run: "click",
        },
        {
            content: "Edit the attitude score",
            trigger: "div[name=quality_line_ids] .o_data_row td[name=score]",
            run: "click",
        },
        {
            content: "Score it",
            trigger: "div[name=quality_line_ids] .o_data_row td[name=score] input",
            run: "edit 90",
        },
        {
            content: "Score the appraisal",
            trigger: ".o_statusbar_buttons button[name=action_score]",
            run: "click",
        },
        {
            content: "It is scored",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Scored')",
        },
    ],
});

tours.add("spc_appraisal_approve_and_print", {
    steps: () => [
        {
            content: "Approve",
            trigger: ".o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "It is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Print the appraisal sheet",
            trigger: ".o_statusbar_buttons button[name=action_print]",
            run: "click",
        },
        {
            content: "Back on the form after the download",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});
