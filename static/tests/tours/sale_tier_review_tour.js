/** @odoo-module **/
// A department head opens this quarter's tier review from the menu and
// confirms the proposed tiers (records made by tests/test_tour_tier_review.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("spc_tier_review_confirm", {
    steps: () => [
        {
            content: "Open the Customers & Visits section",
            trigger: ".o_main_navbar button:contains('Customers & Visits'), .o_main_navbar a:contains('Customers & Visits')",
            run: "click",
        },
        {
            content: "Open this quarter's tier review",
            trigger: ".dropdown-item:contains(\"This Quarter's Tier Review\")",
            run: "click",
        },
        {
            content: "The review proposes a tier for the tour customer",
            trigger: ".o_field_widget[name=line_ids] td:contains('Tour Tier Customer')",
        },
        {
            content: "Confirm all decisions",
            trigger: ".o_statusbar_buttons button[name=action_confirm_all]",
            run: "click",
        },
        {
            content: "Confirm the dialog",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The review is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
