/** @odoo-module **/
// Tours of the credit hold and contract flows. The records come from the
// Python tests (tests/test_tours_credit_contract.py), which also check the
// database between tours.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("spc_credit_hold_salesperson", {
    steps: () => [
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]:visible",
            run: "click",
        },
        {
            content: "The order is put on credit hold, with its reasons",
            trigger: ".o_form_view .alert-danger:contains('Credit hold')",
        },
        {
            content: "It is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
    ],
});

tours.add("spc_credit_release_finance", {
    steps: () => [
        {
            content: "Open the release dialog",
            trigger: ".o_statusbar_buttons button[name=action_request_credit_release]",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name=reason] textarea",
            run: "edit Prepayment of 30% received today",
        },
        {
            content: "Release",
            trigger: ".modal button[name=action_release]",
            run: "click",
        },
        {
            content: "The release is in the chatter",
            trigger: ".o-mail-Message:contains('Credit hold released')",
        },
    ],
});

tours.add("spc_credit_confirm_and_deliver", {
    steps: () => [
        {
            content: "Confirm the released order",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]:visible",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Open its delivery",
            trigger: "button[name=action_view_delivery]",
            run: "click",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});

tours.add("spc_contract_draft_and_submit", {
    steps: () => [
        {
            content: "Draft the contract from the order",
            trigger: ".o_statusbar_buttons button[name=action_create_contract]",
            run: "click",
        },
        {
            content: "The contract has its clauses",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('HT')",
        },
        {
            content: "Submit it for review",
            trigger: ".o_statusbar_buttons button[name=action_submit]",
            run: "click",
        },
        {
            content: "It waits for the department head",
            trigger: ".alert-info:contains('Department head first review')",
        },
    ],
});

function reviewSteps(comment) {
    return [
        {
            content: "Open the review dialog",
            trigger: ".o_statusbar_buttons button[name=action_open_approval_decision]",
            run: "click",
        },
        {
            content: "Comment",
            trigger: ".modal div[name=comment] textarea",
            run: `edit ${comment}`,
        },
        {
            content: "Approve",
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "The decision is in the chatter",
            trigger: `.o-mail-Message:contains('${comment}')`,
        },
    ];
}

tours.add("spc_contract_review", {
    steps: () => reviewSteps("Clauses checked"),
});

tours.add("spc_contract_sign_and_print", {
    steps: () => [
        {
            content: "Record the signature",
            trigger: ".o_statusbar_buttons button[name=action_open_sign]",
            run: "click",
        },
        {
            content: "Customer's signatory",
            trigger: ".modal div[name=customer_signatory] input",
            run: "edit Zhao Zong",
        },
        {
            content: "Attach the signed original",
            trigger: ".modal div[name=signed_file]",
            run() {
                const input = this.anchor.querySelector("input[type=file]");
                const file = new File(["%PDF-1.4 signed original"], "signed.pdf", {
                    type: "application/pdf",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is attached",
            trigger: ".modal div[name=signed_file] .o_clear_file_button",
        },
        {
            content: "Sign",
            trigger: ".modal button[name=action_sign]",
            run: "click",
        },
        {
            content: "The contract is in force with its archive number",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Force')",
        },
        {
            content: "Print it",
            trigger: ".o_statusbar_buttons button[name=action_print]",
            run: "click",
        },
        {
            content: "Back on the form after the download",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Force')",
        },
    ],
});

// Finance, working in Chinese, sees what it releases (lines, total, reason)
// and then sees the hold cleared: no banner, no release button.
tours.add("spc_credit_release_finance_zh", {
    steps: () => [
        {
            content: "The hold banner gives the reason in Chinese",
            trigger: ".o_form_view .alert-danger:contains('信用冻结'):contains('超出')",
        },
        {
            content: "The order's line is visible to finance",
            trigger: ".o_field_one2many[name=order_line] .o_data_row:contains('Tour Pump')",
        },
        {
            content: "The total shown is the order's 3,000.00",
            trigger: ".o_form_view [name=amount_total]:contains('3,000.00')",
        },
        {
            content: "Open the release dialog",
            trigger: ".o_statusbar_buttons button[name=action_request_credit_release]",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name=reason] textarea",
            run: "edit 今日已收到30%预付款",
        },
        {
            content: "Release",
            trigger: ".modal button[name=action_release]",
            run: "click",
        },
        {
            content: "The release is in the chatter, in Chinese",
            trigger: ".o-mail-Message:contains('已放行信用冻结')",
        },
        {
            content: "The hold is cleared: no banner, no release button",
            trigger: ".o_form_view:not(:has(.alert-danger:contains('信用冻结'))):not(:has(button[name=action_request_credit_release]))",
        },
    ],
});

// Legal, working in Chinese, reviews a contract that an English-speaking
// salesperson drafted for a Chinese customer: the waiting step, the order and
// the title read in Chinese; legal approves and prints.
tours.add("spc_contract_review_legal_zh", {
    steps: () => [
        {
            content: "The contract waits for the legal review, named in Chinese",
            trigger: ".o_form_view .alert-info:contains('审核中，等待：'):contains('法务审核')",
        },
        {
            content: "Legal sees the contract's order",
            trigger: "button[name=action_view_orders] .o_stat_value:contains('1')",
        },
        {
            content: "The title is the customer's language",
            trigger: ".o_form_view .o_field_widget[name=title]:contains('销售合同')",
        },
        {
            content: "The total is the order's 2,000.00",
            trigger: ".o_form_view .o_field_widget[name=amount_total]:contains('2,000.00')",
        },
        ...reviewSteps("条款已审核"),
        {
            content: "Approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('已批准')",
        },
        {
            content: "Print it",
            trigger: ".o_statusbar_buttons button[name=action_print]",
            run: "click",
        },
        {
            content: "Back on the form after the download",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('已批准')",
        },
    ],
});
