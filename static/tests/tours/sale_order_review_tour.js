/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
//
// Tours of the order review, one per person and turn: the salesperson
// registers and submits a quotation, the department head and finance decide
// it from their review list, the salesperson corrects a rejection and confirms
// the approved order. tests/test_sale_order_review_tour.py creates the users
// and records and checks the database between the tours.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const tours = registry.category("web_tour.tours");

const CUSTOMER = "Lotus Trading Co";
const CONTACT = "Mei Lin";
const PRODUCT = "Review Tour Valve";

function openSalesApp() {
    return stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app");
}

function openOwnQuotation() {
    return [
        ...openSalesApp(),
        {
            content: "Open the quotation from the list",
            trigger: `.o_list_view .o_data_row td[name=partner_id]:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The quotation is open",
            trigger: `.o_form_view .o_field_widget[name=partner_id] input:value('${CUSTOMER}')`,
        },
    ];
}

function leaveOrderLine(subtotal) {
    return [
        {
            content: "Leave the line",
            trigger: ".o_notebook a[name=order_lines]",
            run: "click",
        },
        {
            content: "The line is saved in the list with its new subtotal",
            trigger: `.o_field_one2many[name=order_line] .o_data_row:not(.o_selected_row) .o_field_cell[name=price_subtotal]:contains('${subtotal}')`,
        },
    ];
}

function submitForReview() {
    return [
        {
            content: "Submit the quotation for review",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_submit_for_approval]",
            run: "click",
        },
        {
            content: "It now waits for the department head",
            trigger: ".o_form_view .alert-info:contains('Under review, waiting for'):contains('Department head review')",
        },
        {
            content: "Submitting saved the quotation",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

/**
 * A reviewer opens their step from Sales > Reviews > My Reviews and decides it.
 */
function reviewSteps({ stepName, comment, decision, resultState }) {
    return [
        ...openSalesApp(),
        {
            content: "Open the Reviews menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='sale_process_control.review_menu']",
            run: "click",
        },
        {
            content: "Open My Reviews",
            trigger: ".dropdown-item[data-menu-xmlid='sale_process_control.sale_approval_my_menu']",
            run: "click",
        },
        {
            content: "My steps are listed, not folded in groups, with the customer",
            trigger: `.o_list_view:not(:has(.o_group_header)) .o_data_row:contains('${stepName}') td[name=document_partner_id]:contains('${CUSTOMER}')`,
        },
        {
            content: `Open the step "${stepName}"`,
            trigger: `.o_list_view .o_data_row:contains('${stepName}') td[name=res_name]`,
            run: "click",
        },
        {
            content: "Open the decision dialog",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_decide]",
            run: "click",
        },
        {
            content: "The dialog names the step to decide",
            trigger: `.modal .o_field_widget[name=step_names]:contains('${stepName}')`,
        },
        {
            content: "Write the decision comment",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: `edit ${comment}`,
        },
        {
            content: `Decide: ${decision}`,
            trigger: `.modal button[name=${decision}]`,
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: `The step is now ${resultState}`,
            trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${resultState}')`,
        },
    ];
}

tours.add("spc_order_review_submit", {
    url: "/odoo",
    steps: () => [
        ...openSalesApp(),
        {
            content: "New quotation",
            trigger: ".o_sale_order .o_list_button_add",
            run: "click",
        },
        {
            content: "Type the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Pick the company, not its contact",
            trigger: `.o-autocomplete--dropdown-item a:contains('${CUSTOMER}'):not(:contains(','))`,
            run: "click",
        },
        {
            content: "Add a product line",
            trigger: ".o_field_one2many[name=order_line] .o_field_x2many_list_row_add a:contains('Add a product')",
            run: "click",
        },
        {
            content: "Type the product",
            trigger: ".o_selected_row .o_field_widget[name=product_template_id] input",
            run: `edit ${PRODUCT}`,
        },
        {
            content: "Pick the product",
            trigger: `.o-autocomplete--dropdown-item a:contains('${PRODUCT}')`,
            run: "click",
        },
        {
            content: "The product is on the line",
            trigger: `.o_selected_row .o_field_widget[name=product_template_id] input:value('${PRODUCT}')`,
        },
        {
            content: "Order two units",
            trigger: ".o_selected_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 2",
        },
        ...leaveOrderLine("1,000.00"),
        {
            content: "Type the customer's contact person",
            trigger: ".o_form_view .o_field_widget[name=customer_contact_id] input",
            run: `edit ${CONTACT}`,
        },
        {
            content: "Pick the contact person",
            trigger: `.o-autocomplete--dropdown-item a:contains('${CONTACT}')`,
            run: "click",
        },
        {
            content: "The contact's phone is filled in",
            trigger: ".o_form_view .o_field_widget[name=customer_contact_phone] input:value('5555 0188')",
        },
        {
            content: "Open the Order Registration tab",
            trigger: ".o_notebook a[name=sale_process_control_registration]",
            run: "click",
        },
        {
            content: "The registration lists what is still missing",
            trigger: ".tab-pane .alert-warning:contains('Missing before submission')",
        },
        {
            content: "Delivery date",
            trigger: ".tab-pane .o_field_widget[name=commitment_date] input",
            run: "edit 01/15/2030 08:00:00 && press Enter",
        },
        {
            content: "Describe what the customer needs",
            trigger: ".tab-pane .o_field_widget[name=requirement_description] textarea",
            run: "edit Two DN50 valves for the cooling water line, standard specification. && click body",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".tab-pane:not(:has(.alert-warning:contains('Missing before submission')))",
        },
        ...stepUtils.saveForm(),
        ...submitForReview(),
    ],
});

tours.add("spc_order_review_head_approve", {
    url: "/odoo",
    steps: () =>
        reviewSteps({
            stepName: "Department head review",
            comment: "Registration complete, prices within policy.",
            decision: "action_approve",
            resultState: "Approved",
        }),
});

tours.add("spc_order_review_finance_reject", {
    url: "/odoo",
    steps: () =>
        reviewSteps({
            stepName: "Finance review",
            comment: "Prepayment required",
            decision: "action_reject",
            resultState: "Rejected",
        }),
});

tours.add("spc_order_review_finance_approve", {
    url: "/odoo",
    steps: () =>
        reviewSteps({
            stepName: "Finance review",
            comment: "Prepayment terms agreed.",
            decision: "action_approve",
            resultState: "Approved",
        }),
});

tours.add("spc_order_review_resubmit", {
    url: "/odoo",
    steps: () => [
        ...openOwnQuotation(),
        {
            content: "The quotation shows the rejection",
            trigger: ".o_form_view .alert-warning:contains('The review was rejected')",
        },
        {
            content: "Edit the quantity of the line",
            trigger: ".o_field_one2many[name=order_line] .o_data_row .o_field_cell[name=product_uom_qty]",
            run: "click",
        },
        {
            content: "Order three units",
            trigger: ".o_selected_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 3",
        },
        ...leaveOrderLine("1,500.00"),
        ...submitForReview(),
    ],
});

tours.add("spc_order_review_confirm", {
    url: "/odoo",
    steps: () => [
        ...openOwnQuotation(),
        {
            content: "No review alert is left on the approved quotation",
            trigger: ".o_form_view:not(:has(.alert-info:contains('Under review'))):not(:has(.alert-warning:contains('The review was rejected')))",
        },
        {
            content: "Confirm the approved quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "It is a sales order",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Its delivery is there",
            trigger: ".o_form_view .o-form-buttonbox button[name=action_view_delivery]:contains('Delivery')",
        },
    ],
});

// A salesperson working in Chinese gives a discount above their authority:
// the reason column is on the line, the quotation goes to the discount
// review, and the waiting banner names the step in Chinese.
tours.add("spc_order_discount_submit_zh", {
    url: "/odoo",
    steps: () => [
        ...openOwnQuotation(),
        {
            content: "The Discount Reason column is shown on the lines",
            trigger: ".o_field_one2many[name=order_line] th[data-name=discount_reason]",
        },
        {
            content: "Open the line",
            trigger: ".o_field_one2many[name=order_line] .o_data_row td[name=product_uom_qty]",
            run: "click",
        },
        {
            content: "Give 15 % (the salesperson may give 5 %)",
            trigger: ".o_selected_row .o_field_widget[name=discount] input",
            run: "edit 15",
        },
        {
            content: "Say why",
            trigger: ".o_selected_row .o_field_widget[name=discount_reason] input",
            run: "edit 年度批量采购",
        },
        ...leaveOrderLine("850.00"),
        ...stepUtils.saveForm(),
        {
            content: "Submit the quotation for review",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_submit_for_approval]",
            run: "click",
        },
        {
            content: "It waits for the discount review, named in Chinese",
            trigger: ".o_form_view .alert-info:contains('审核中，等待：'):contains('折扣审批')",
        },
    ],
});
