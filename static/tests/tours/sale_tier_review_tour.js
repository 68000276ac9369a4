/** @odoo-module **/
// A department head opens this quarter's tier review from the menu and
// confirms the proposed tiers (records made by tests/test_tour_tier_review.py).

import { registry } from "@web/core/registry";

/**
 * Confirm every decision of the open review; ``doneLabel`` is the Done state
 * in the user's language.
 */
function confirmAllSteps(doneLabel) {
    return [
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
            trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${doneLabel}')`,
        },
    ];
}

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
        ...confirmAllSteps("Done"),
    ],
});

// The same job for a department head working in Chinese: the review's name,
// the proposed tier and the states read in Chinese.
registry.category("web_tour.tours").add("spc_tier_review_confirm_zh", {
    steps: () => [
        {
            content: "Open the Customers & Visits section",
            trigger: ".o_menu_sections button[data-menu-xmlid='sale_process_control.customer_visit_menu']",
            run: "click",
        },
        {
            content: "Open this quarter's tier review",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.sale_tier_review_current_menu']",
            run: "click",
        },
        {
            content: "The review is named in Chinese",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('季度客户分类审核')",
        },
        {
            content: "It proposes a C tier for the tour customer, named in Chinese",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Tour Tier Customer'):contains('C类')",
        },
        ...confirmAllSteps("已完成"),
    ],
});
