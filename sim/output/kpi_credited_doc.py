"""The prose of docs/kpis.md on credited and incremental figures: a worked example by hand.

Kept beside the KPI definitions and rendered by `python -m sim.docs`, so the reference a seller
reads and the numbers the tests check (tests/engine/test_credited_closed_form.py uses the same
closed form) say the same thing.
"""

from __future__ import annotations

__all__ = ["CREDITED_SECTION"]

CREDITED_SECTION = """
## Credited and incremental: what a reminder tool reports, and what really happened

A 催付 tool (the marketplace's automatic reminder, a CRM, an agent team working from a list)
reports a success rate, *orders paid after being reminded ÷ orders reminded*, and an amount
"recovered" (挽回), the amount of those orders. Its attribution window here is the order's
unpaid life: a reminder is only sent to an unpaid order, so every reminded order that is paid
before it closes counts. Every buyer who would have paid anyway is credited to the reminder.
ordersim knows the counterfactual: replication *k* of the baseline sees the same buyers and draws
(common random numbers), so the difference is what the reminders really won.

**Worked example (by hand).** 1,000 orders at 100 yuan; 400 buyers pay on their own, 120 of them
before an SMS sent 2 hours after placement; the other 600 never pay unless reminded, and the SMS
wins 30% of them (reach 1, no cancels). The baseline sends nothing.

| figure | computation | value |
|---|---|---|
| `reminded_rate` | (1,000 − 120) / 1,000 | 88.0% |
| `credited_paid_rate` | (280 paying anyway + 180 won) / 880 reminded | 52.3% |
| `credited_amount_per_order` | 460 × 100 yuan / 1,000 | 46.0 yuan (46,000 per 1,000) |
| `incremental_paid_rate` | 580 / 1,000 paid − 400 / 1,000 paid | 18.0 points |
| `incremental_amount_per_order` | (58,000 − 40,000) yuan / 1,000 | 18.0 yuan |
| `credited_over_incremental` | 460 / 180 | 2.56 (280 of 460, 3 in 5, paid anyway) |
| `tool_roi` | 46,000 yuan / (880 × 0.05 yuan) | 1,045 |
| `real_roi` | 180 × (100 − 60 cost of goods − 8 freight) / 44 yuan | 131 |

The closed form behind it (a segment that pays on its own with chance *p* by an exponential time
with CDF *F*, a reminder at *t* that wins with chance *r*): reminded = 1 − *p F(t)*; credited =
*p* (1 − *F(t)*) + (1 − *p*) *r*; incremental = (1 − *p*) *r*. The tests check both engines
against it.

**Coupons.** A reached buyer who pays uses the coupon that came with the reminder, whether the
reminder won them or they were paying anyway; `anyway_coupon_cost_per_order` counts the
discounts and gifts used by buyers whose own payment came before their order's close.

**Per step.** For a strategy of several steps, `summary.json` has `steps` (one entry per step,
and the report a table): `reminded_rate` (orders the step reminded), `credited_rate` and
`credited_amount_per_order` by *last touch* (a paid order is credited to the last reminder it
got before paying), so **the steps' credited figures sum to the strategy's** credited orders
and amount; and `incremental_paid_rate` / `incremental_amount_per_order`: the strategy minus
the same strategy without that step (the step never sent, every other step as it was; common
random numbers). The steps' increments add up to the strategy's increment against the same
strategy with no reminder only when no buyer could be won by more than one step: the remainder,
`shared` (strategy increment − sum of the steps' increments), is what the steps win together,
buyers one step would win if the other did not. A step whose credited figure is large and whose
increment is near 0 only collects buyers who were paying anyway.
"""
