/** @odoo-module **/
// Spot check -> rectification notice -> answer -> close. The records come
// from tests/test_supervision_tour.py, which checks the database between tours.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("spc_supervision_issue_notice", {
    steps: () => [
        {
            content: "Raise a rectification notice from the line with a finding",
            trigger: ".o_field_one2many .o_data_row button[name=action_create_rectification]",
            run: "click",
        },
        {
            content: "The notice is drafted with the finding",
            trigger: ".o_form_view div[name=finding] textarea",
        },
        {
            content: "Send it to the responsible person",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_send]",
            run: "click",
        },
        {
            content: "It awaits the answer",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Awaiting Answer')",
        },
    ],
});

tours.add("spc_supervision_answer_notice", {
    steps: () => [
        {
            content: "Open the answer page",
            trigger: ".o_notebook .nav-link:contains('Answer')",
            run: "click",
        },
        {
            content: "Write what was corrected",
            trigger: ".o_form_view div[name=answer] textarea",
            run: "edit Reminder sent; the customer paid on 12 March.",
        },
        {
            content: "Answer",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_answer]",
            run: "click",
        },
        {
            content: "The notice is answered",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Answered')",
        },
    ],
});

tours.add("spc_supervision_close_notice", {
    steps: () => [
        {
            content: "Verify and close",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_close]",
            run: "click",
        },
        {
            content: "The notice is closed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Closed')",
        },
    ],
});
