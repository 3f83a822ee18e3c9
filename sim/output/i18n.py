"""The words of the outputs in English and Chinese (`--lang en|zh`): one small catalogue.

Every text a seller reads in a table, a run message, the report or a plot comes from here, so a
language is complete or it is not offered. Keys missing in Chinese fall back to English (a test
checks there are none). Strategy and segment names are the user's own and are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LANGS", "Lang", "get_lang"]

LANGS = ("en", "zh")

# Short KPI labels with their display unit, for table rows and plot axes.
_KPI_EN: dict[str, str] = {
    "orders": "Orders placed",
    "paid_rate": "Paid (%)",
    "cancelled_rate": "Cancelled (%)",
    "auto_closed_rate": "Auto-closed (%)",
    "buyer_cancelled_rate": "Cancelled by buyer (%)",
    "seller_closed_rate": "Closed by seller (%)",
    "time_to_pay_hours": "Time to pay (h)",
    "reminders_per_order": "Reminders per order",
    "reminder_wait_hours": "Wait for an agent (h)",
    "agent_utilization": "Agents busy (%)",
    "low_ratings_per_order": "Low ratings per 1,000",
    "refunded_rate": "Refunded (%)",
    "refused_rate": "Refused (%)",
    "disputed_rate": "Disputed (%)",
    "completed_rate": "Completed (%)",
    "penalty_points_per_order": "Penalty pts per 1,000",
    "gmv_per_order": "GMV/order (yuan)",
    "compensation_per_order": "Compensation/order",
    "incentive_cost_per_order": "Incentives/order",
    "reminder_cost_per_order": "Reminder cost/order",
    "freight_loss_per_order": "Freight loss/order",
    "lever_cost_per_order": "Levers/order (yuan)",
    "net_profit_per_order": "Net profit/order",
    "lost_sales_rate": "Lost sales (%)",
    "discount_per_order": "Discounts/order",
    "outbound_freight_per_order": "Outbound freight/order",
    "insurance_cost_per_order": "Insurance/order",
    "goods_cost_per_order": "Goods cost/order",
    "refunds_per_order": "Refunds/order",
    "blocked_rate": "Blocked (%)",
    "dispute_fee_per_order": "Dispute fees/order (yuan)",
    "ban_days": "Days banned",
    "banned_order_rate": "Lost to bans (%)",
    "buyer_paid_rate": "Buyers who paid (%)",
    "paid_orders": "Paid orders (total)",
    "net_profit": "Net profit (yuan)",
    "cost_per_order": "Cost/order (yuan)",
}
_KPI_ZH: dict[str, str] = {
    "orders": "下单数",
    "paid_rate": "付款率 (%)",
    "cancelled_rate": "取消率 (%)",
    "auto_closed_rate": "超时关闭 (%)",
    "buyer_cancelled_rate": "买家取消 (%)",
    "seller_closed_rate": "卖家关闭 (%)",
    "time_to_pay_hours": "付款用时 (小时)",
    "reminders_per_order": "每单催付次数",
    "reminder_wait_hours": "等待客服 (小时)",
    "agent_utilization": "客服忙碌 (%)",
    "low_ratings_per_order": "每千单差评",
    "refunded_rate": "退款率 (%)",
    "refused_rate": "拒收率 (%)",
    "disputed_rate": "纠纷率 (%)",
    "completed_rate": "完成率 (%)",
    "penalty_points_per_order": "每千单扣分",
    "gmv_per_order": "每单成交额 (元)",
    "compensation_per_order": "每单赔付 (元)",
    "incentive_cost_per_order": "每单激励 (元)",
    "reminder_cost_per_order": "每单催付成本 (元)",
    "freight_loss_per_order": "每单运费损失 (元)",
    "lever_cost_per_order": "每单改进成本 (元)",
    "net_profit_per_order": "每单净利润 (元)",
    "lost_sales_rate": "缺货流失 (%)",
    "discount_per_order": "每单折扣 (元)",
    "outbound_freight_per_order": "每单发货运费 (元)",
    "insurance_cost_per_order": "每单运费险 (元)",
    "goods_cost_per_order": "每单货品成本 (元)",
    "refunds_per_order": "每单退款 (元)",
    "blocked_rate": "拦截率 (%)",
    "dispute_fee_per_order": "每单纠纷费 (元)",
    "ban_days": "封店天数",
    "banned_order_rate": "封店流失 (%)",
    "buyer_paid_rate": "付款买家占比 (%)",
    "paid_orders": "付款订单 (总数)",
    "net_profit": "净利润 (元, 总额)",
    "cost_per_order": "每单成本 (元)",
}

_EN: dict[str, str] = {
    "answer": "Answer",
    "best": "Best on {kpi}: {best}",
    "best_is_baseline": "Best on {kpi}: {best}, the baseline: no strategy beats it",
    "gain": "vs baseline {baseline}: {value}",
    "gain_paid": "paid orders {value}",
    "runner_up_apart": "ahead of the runner-up {runner} by {value}: the two can be told apart",
    "runner_up_close": "the runner-up {runner} is within {value}: the two cannot be told apart "
    "with {n}; run more replications to separate them",
    "runner_up_none": "there is no runner-up to compare",
    "runner_up_base_apart": "the runner-up is the baseline itself, and the gain above is real",
    "runner_up_base_close": "the runner-up is the baseline itself, and the interval above "
    "holds 0: with {n} it cannot be told apart from doing nothing new",
    "selection": "selected by {procedure} ({confidence:.0%} confidence, within {delta})",
    "costs": "what it costs vs baseline: {items}",
    "cost_reminders": "{value} reminders per order",
    "cost_low_ratings": "{value} low ratings per 1,000 orders",
    "cost_points": "{value} penalty points per 1,000 orders",
    "totals_note": "the strategies place different numbers of orders, so totals per "
    "replication are compared (net_profit, paid_orders)",
    "net_profit": "net profit per replication",
    "net_profit_per_order": "net profit per order",
    "means_title": "{scenario}: means ± 95% half-width, {n}",
    "diff_title": "Difference to the baseline {baseline} (paired, ± 95% half-width; green "
    "better, red worse)",
    "group_unchanged": "unchanged by the sweep",
    "group_sweep": "{strategy} by {parameter}",
    "kpi": "KPI",
    "baseline_mark": "(baseline)",
    "replications": "{n} replications",
    "replication": "{n} replication",
    "wrote": "wrote {n} files to {out}/",
    "open_report": "open {path}",
    "interrupted": "interrupted: finished units are kept; run again with --resume to finish "
    "({out})",
    "no_cjk_font": "no Chinese font found for the plots; install one, e.g. "
    "`apt-get install fonts-noto-cjk`",
    "na": "n/a",
    "yes": "yes",
    "no": "no",
    "r_results": "Results",
    "r_results_note": "Means over replications ± half-width of the 95% Student-t interval. "
    "Rates are percentages of orders placed; money is yuan per order placed (totals: per "
    "replication); low ratings per 1,000 orders.",
    "r_all_kpis": "All KPIs",
    "r_compared": "Compared with the baseline ({baseline})",
    "r_compared_note": "Strategy minus baseline, paired replication by replication (common "
    "random numbers), ± half-width of the 95% interval; rates in percentage points. Green: "
    "better with the interval excluding 0; red: worse.",
    "r_no_comparison": "There is no strategy besides the baseline to compare.",
    "r_plots": "Plots",
    "r_lifecycle": "The order lifecycle",
    "r_diagram": "States and triggers of the simulation.",
    "r_mermaid": "State diagram as Mermaid text",
    "r_scenario": "Scenario",
    "r_scenario_file": "Scenario file (TOML)",
    "r_strategy": "Strategy",
    "r_meta": "scenario {scenario} · seed {seed} · {n} · baseline {baseline} · {units} "
    "simulated units",
    "r_meta_sweep": " · sweep of {parameter} over {values}",
    "cap_kpis": "Differences against the baseline with 95% intervals (paired).",
    "cap_payment_curve": "Share of orders paid by time since placement (log time), by strategy.",
    "cap_outcomes": "How orders end: shares of orders placed.",
    "cap_costs": "Cost per order by component, and the net profit left per order.",
    "cap_agents": "Agent utilisation and queue of phone/IM reminders by hour of day.",
    "cap_sweep": "How the main KPIs respond to the swept parameter, as differences against "
    "the baseline.",
    "cap_heatmap": "The grid of two swept parameters: one KPI's mean per combination.",
    "p_higher": "higher is better",
    "p_lower": "lower is better",
    "p_pp": "percentage points",
    "p_yuan": "yuan",
    "p_per_1000": "per 1,000 orders",
    "p_diff_axis": "minus {baseline}",
    "p_kpis_title": "What does each strategy change against the baseline {baseline}? Paired "
    "differences with 95% intervals ({n})",
    "p_kpis_title_means": "Means with 95% intervals ({n})",
    "p_hatched": "pale bars: the interval includes 0 (no difference shown)",
    "p_pay_title": "How fast do orders get paid?",
    "p_pay_x": "time since the order was placed (log scale)",
    "p_pay_y": "share of orders placed that are paid",
    "p_autoclose": "auto-close ({h:g} h)",
    "p_band": "mean, 95% band",
    "p_sweep_title": "How do the KPIs move with {parameter}? Differences to {baseline} with "
    "95% bands ({n})",
    "p_sweep_title_means": "How do the KPIs move with {parameter}? Means with 95% bands ({n})",
    "p_other_values": "other values",
    "p_same_every_value": "{name}: same at every value",
    "p_mean_of": "{kpi}, mean",
    "p_agents_title": "Agent workload by hour of day (mean over replications)",
    "p_agents_busy": "How busy are the agents?",
    "p_agents_queue": "How long is the queue of phone/IM reminders?",
    "p_agents_util": "agent utilisation (busy share of the agents)",
    "p_agents_waiting": "mean reminders waiting for an agent",
    "p_hour": "hour of day",
    "p_hour_off": "hour of day (shaded: off duty)",
    "p_at_n": "@n: {parameter} = n",
    "p_outcomes_title": "How do orders end under each strategy?",
    "p_outcomes_x": "share of orders placed",
    "p_costs_title": "What does each order cost the seller, and what profit is left?",
    "p_costs_x": "cost, yuan per order placed",
    "p_costs_panel": "Costs by component",
    "p_profit_panel": "Net profit per order (95% interval)",
    "p_profit_x": "net profit, yuan per order placed",
    "p_refused_disputed": "refused {r:.1%}\ndisputed {d:.1%}",
}
_ZH: dict[str, str] = {
    "answer": "结论",
    "best": "按{kpi}最好的策略: {best}",
    "best_is_baseline": "按{kpi}最好的是基准策略 {best}: 没有策略比它更好",
    "gain": "相对基准 {baseline}: {value}",
    "gain_paid": "付款订单 {value}",
    "runner_up_apart": "领先第二名 {runner} {value}: 两者可以区分",
    "runner_up_close": "第二名 {runner} 相差 {value}: 在 {n} 下无法区分; 增加重复次数可区分",
    "runner_up_none": "没有第二名可比较",
    "runner_up_base_apart": "第二名就是基准策略, 上面的提升是真实的",
    "runner_up_base_close": "第二名就是基准策略, 上面的区间包含 0: 在 {n} 下与不改变无法区分",
    "selection": "由 {procedure} 选出 (置信度 {confidence:.0%}, 容差 {delta})",
    "costs": "相对基准的代价: {items}",
    "cost_reminders": "每单催付 {value} 次",
    "cost_low_ratings": "每千单差评 {value}",
    "cost_points": "每千单扣分 {value}",
    "totals_note": "各策略的下单数不同, 因此比较每次重复的总额 (净利润, 付款订单)",
    "net_profit": "每次重复的净利润",
    "net_profit_per_order": "每单净利润",
    "means_title": "{scenario}: 均值 ± 95% 半宽, {n}",
    "diff_title": "与基准 {baseline} 的差 (配对, ± 95% 半宽; 绿色更好, 红色更差)",
    "group_unchanged": "不受扫描参数影响",
    "group_sweep": "{strategy}, 按 {parameter}",
    "kpi": "指标",
    "baseline_mark": "(基准)",
    "replications": "{n} 次重复",
    "replication": "{n} 次重复",
    "wrote": "已写入 {n} 个文件到 {out}/",
    "open_report": "打开 {path}",
    "interrupted": "已中断: 已完成的单元已保留; 加 --resume 再运行以完成 ({out})",
    "no_cjk_font": "没有找到绘图用的中文字体; 请安装一个, 例如 `apt-get install fonts-noto-cjk`",
    "na": "无",
    "yes": "是",
    "no": "否",
    "r_results": "结果",
    "r_results_note": "各次重复的均值 ± 95% Student-t 区间半宽。比率为占下单数的百分比; 金额为每单"
    "元 (总额为每次重复); 差评为每千单。",
    "r_all_kpis": "全部指标",
    "r_compared": "与基准 ({baseline}) 比较",
    "r_compared_note": "策略减基准, 按重复配对 (共同随机数), ± 95% 区间半宽; 比率以百分点计。"
    "绿色: 更好且区间不含 0; 红色: 更差。",
    "r_no_comparison": "除基准外没有其他策略可比较。",
    "r_plots": "图表",
    "r_lifecycle": "订单生命周期",
    "r_diagram": "模拟中的状态与触发事件。",
    "r_mermaid": "Mermaid 格式的状态图",
    "r_scenario": "场景",
    "r_scenario_file": "场景文件 (TOML)",
    "r_strategy": "策略",
    "r_meta": "场景 {scenario} · 种子 {seed} · {n} · 基准 {baseline} · {units} 个模拟单元",
    "r_meta_sweep": " · 扫描 {parameter}: {values}",
    "cap_kpis": "与基准的差及 95% 区间 (配对)。",
    "cap_payment_curve": "下单后各时刻已付款订单的比例 (对数时间), 按策略。",
    "cap_outcomes": "订单的结局: 占下单数的比例。",
    "cap_costs": "每单成本构成, 以及每单剩下的净利润。",
    "cap_agents": "电话/旺旺催付的客服利用率与排队, 按小时。",
    "cap_sweep": "主要指标随扫描参数的变化 (相对基准的差)。",
    "cap_heatmap": "两个扫描参数的网格: 每个组合的指标均值。",
    "p_higher": "越高越好",
    "p_lower": "越低越好",
    "p_pp": "百分点",
    "p_yuan": "元",
    "p_per_1000": "每千单",
    "p_diff_axis": "减去 {baseline}",
    "p_kpis_title": "各策略相对基准 {baseline} 的变化: 配对差及 95% 区间 ({n})",
    "p_kpis_title_means": "均值及 95% 区间 ({n})",
    "p_hatched": "浅色: 区间包含 0 (差异不显著)",
    "p_pay_title": "订单多快付款?",
    "p_pay_x": "下单后的时间 (对数刻度)",
    "p_pay_y": "已付款订单占下单数的比例",
    "p_autoclose": "超时关闭 ({h:g} 小时)",
    "p_band": "均值, 95% 区间",
    "p_sweep_title": "各指标如何随 {parameter} 变化? 与 {baseline} 的差及 95% 区间 ({n})",
    "p_sweep_title_means": "各指标如何随 {parameter} 变化? 均值及 95% 区间 ({n})",
    "p_other_values": "其他取值",
    "p_same_every_value": "{name}: 各取值相同",
    "p_mean_of": "{kpi}, 均值",
    "p_agents_title": "客服按小时的工作量 (各次重复的均值)",
    "p_agents_busy": "客服有多忙?",
    "p_agents_queue": "电话/旺旺催付排队有多长?",
    "p_agents_util": "客服利用率 (忙碌比例)",
    "p_agents_waiting": "平均等待客服的催付数",
    "p_hour": "一天中的小时",
    "p_hour_off": "一天中的小时 (阴影: 非值班)",
    "p_at_n": "@n: {parameter} = n",
    "p_outcomes_title": "各策略下订单如何结束?",
    "p_outcomes_x": "占下单数的比例",
    "p_costs_title": "每单成本多少, 剩下多少利润?",
    "p_costs_x": "成本, 每单 (元)",
    "p_costs_panel": "成本构成",
    "p_profit_panel": "每单净利润 (95% 区间)",
    "p_profit_x": "净利润, 每单 (元)",
    "p_refused_disputed": "拒收 {r:.1%}\n纠纷 {d:.1%}",
}

_CATALOGUE: Mapping[str, tuple[Mapping[str, str], Mapping[str, str]]] = {
    "en": (_EN, _KPI_EN),
    "zh": (_ZH, _KPI_ZH),
}


@dataclass(frozen=True)
class Lang:
    """The texts of one language: `t("key", **values)` and `kpi(name)`."""

    code: str = "en"

    def t(self, key: str, **values: object) -> str:
        texts = _CATALOGUE[self.code][0]
        return texts.get(key, _EN[key]).format(**values)

    def kpi(self, name: str, *, diff: bool = False) -> str:
        """The short label of a KPI; `diff`: of its difference (rates in percentage points)."""
        labels = _CATALOGUE[self.code][1]
        label = labels.get(name) or _KPI_EN.get(name) or name.replace("_", " ")
        if diff:
            label = label.replace("(%)", "(pp)" if self.code == "en" else "(百分点)")
        return label

    def replications(self, n: object) -> str:
        return self.t("replication" if n == 1 else "replications", n=n)


def get_lang(code: str | None) -> Lang:
    """The language for a code; ValueError names the choices."""
    code = code or "en"
    if code not in _CATALOGUE:
        raise ValueError(f"--lang: use one of {', '.join(LANGS)} (got {code!r})")
    return Lang(code)
