/** @odoo-module **/
// Copyright 2026 Sales Process Control contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)

import {
    Component,
    onMounted,
    onPatched,
    onWillStart,
    onWillUnmount,
    useRef,
    useState,
} from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Manager dashboard of the sales department: one server call
 * (sale.dashboard/get_dashboard_data) feeds every card and chart; each figure
 * opens the records behind it.
 */
export class SaleDashboard extends Component {
    static template = "sale_process_control.SaleDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.trendCanvas = useRef("trendCanvas");
        this.sellerCanvas = useRef("sellerCanvas");
        this.charts = [];
        this.state = useState({ period: "month", data: null });
        this.periods = [
            { key: "month", label: _t("This Month") },
            { key: "quarter", label: _t("This Quarter") },
            { key: "year", label: _t("This Year") },
        ];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        onMounted(() => this.renderCharts());
        onPatched(() => this.renderCharts());
        onWillUnmount(() => this.destroyCharts());
    }

    async load() {
        this.state.data = await this.orm.call("sale.dashboard", "get_dashboard_data", [
            this.state.period,
        ]);
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    formatAmount(value) {
        const currency = this.state.data.currency;
        const amount = formatFloat(value || 0, { digits: [16, currency.digits] });
        return currency.position === "before"
            ? `${currency.symbol} ${amount}`
            : `${amount} ${currency.symbol}`;
    }

    formatRate(value) {
        return value === null || value === false || value === undefined
            ? "–"
            : `${formatFloat(value, { digits: [16, 1] })} %`;
    }

    open(action) {
        if (!action) {
            return;
        }
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name: action.name,
            res_model: action.res_model,
            domain: action.domain,
            views: action.views,
            target: "current",
        });
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }

    renderCharts() {
        this.destroyCharts();
        const data = this.state.data;
        if (!data) {
            return;
        }
        if (this.trendCanvas.el) {
            this.charts.push(
                this.makeChart(this.trendCanvas.el, "line", data.trend, (item) => item.label)
            );
        }
        if (this.sellerCanvas.el && data.salespeople.length) {
            this.charts.push(
                this.makeChart(this.sellerCanvas.el, "bar", data.salespeople, (item) => item.name)
            );
        }
    }

    makeChart(canvas, type, items, labelOf) {
        return new Chart(canvas, {
            type,
            data: {
                labels: items.map(labelOf),
                datasets: [
                    {
                        label: _t("Untaxed Amount"),
                        data: items.map((item) => item.amount),
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                plugins: { legend: { display: false } },
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.open(items[elements[0].index].action);
                    }
                },
            },
        });
    }
}

registry.category("actions").add("sale_process_control.dashboard", SaleDashboard);
