"""The words a seller reads, in English and Chinese (`--lang en|zh`), through gettext.

Every text of a table, a run message, the report or a plot is written in the code in English,
as `lang.tr("paid orders {value}", value=...)` (`lang.trn(singular, plural, n, ...)` for counts;
`N_("...")` marks a text kept in a table and translated where it is shown). Babel extracts them
into `sim/locale/ordersim.pot`; the Chinese texts live in `sim/locale/zh/LC_MESSAGES/ordersim.po`
and are compiled to the `.mo` file read here. `python -m sim.catalogue` does all three steps, and
a test fails on any text without a Chinese translation (docs/translating.md says how to add one).
Strategy and segment names are the user's own and are never translated.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["DOMAIN", "KPI_LABELS", "LANGS", "LOCALE_DIR", "N_", "Lang", "get_lang"]

LANGS = ("en", "zh")
DOMAIN = "ordersim"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it here (it is translated where shown)."""
    return message


# Short KPI labels with their display unit, for table rows and plot axes.
KPI_LABELS: dict[str, str] = {
    "orders": N_("Orders placed"),
    "paid_rate": N_("Paid (%)"),
    "cancelled_rate": N_("Cancelled (%)"),
    "auto_closed_rate": N_("Auto-closed (%)"),
    "buyer_cancelled_rate": N_("Cancelled by buyer (%)"),
    "seller_closed_rate": N_("Closed by seller (%)"),
    "time_to_pay_hours": N_("Time to pay (h)"),
    "reminders_per_order": N_("Reminders per order"),
    "reminder_wait_hours": N_("Wait for an agent (h)"),
    "agent_utilization": N_("Agents busy (%)"),
    "low_ratings_per_order": N_("Low ratings per 1,000"),
    "harassment_complaints_per_order": N_("Complaints per 1,000"),
    "harassment_reports_per_order": N_("Reports per 1,000"),
    "traffic_lost_rate": N_("Lost to ratings (%)"),
    "chargeback_rate": N_("Charged back (%)"),
    "chargeback_fee_per_order": N_("Chargeback fees/order"),
    "opted_out_rate": N_("Opted out (%)"),
    "refunded_rate": N_("Refunded (%)"),
    "refused_rate": N_("Refused (%)"),
    "disputed_rate": N_("Disputed (%)"),
    "completed_rate": N_("Completed (%)"),
    "penalty_points_per_order": N_("Penalty pts per 1,000"),
    "gmv_per_order": N_("GMV/order (yuan)"),
    "compensation_per_order": N_("Compensation/order"),
    "incentive_cost_per_order": N_("Incentives/order"),
    "reminder_cost_per_order": N_("Reminder cost/order"),
    "freight_loss_per_order": N_("Freight loss/order"),
    "lever_cost_per_order": N_("Levers/order (yuan)"),
    "net_profit_per_order": N_("Net profit/order"),
    "lost_sales_rate": N_("Lost sales (%)"),
    "discount_per_order": N_("Discounts/order"),
    "outbound_freight_per_order": N_("Outbound freight/order"),
    "insurance_cost_per_order": N_("Insurance/order"),
    "goods_cost_per_order": N_("Goods cost/order"),
    "refunds_per_order": N_("Refunds/order"),
    "blocked_rate": N_("Blocked (%)"),
    "dispute_fee_per_order": N_("Dispute fees/order (yuan)"),
    "ban_days": N_("Days banned"),
    "banned_order_rate": N_("Lost to bans (%)"),
    "buyer_paid_rate": N_("Buyers who paid (%)"),
    "returned_rate": N_("Returned (%)"),
    "return_cost_per_order": N_("Return cost/order"),
    "paid_orders": N_("Paid orders (total)"),
    "net_profit": N_("Net profit (yuan)"),
    "cost_per_order": N_("Cost/order (yuan)"),
    "reminded_rate": N_("Reminded (%)"),
    "credited_paid_rate": N_("Tool: success (%)"),
    "credited_amount_per_order": N_("Tool: recovered/order"),
    "anyway_coupon_cost_per_order": N_("Coupons to payers anyway/order"),
    "tool_roi": N_("Tool: ROI"),
    "incremental_paid_rate": N_("Real gain: paid (pp)"),
    "incremental_amount_per_order": N_("Real gain: yuan/order"),
    "credited_over_incremental": N_("Credited per order won"),
    "real_roi": N_("Real ROI"),
    "capped_reminders_per_order": N_("Skipped by caps per 1,000"),
}


@cache
def _translations(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English is the code's own text)."""
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])


@dataclass(frozen=True)
class Lang:
    """The texts of one language: `tr(message, **values)`, `trn(...)` and `kpi(name)`."""

    code: str = "en"
    _catalogue: gettext.NullTranslations = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_catalogue", _translations(self.code))

    def tr(self, message: str, **values: object) -> str:
        """`message` in this language, its `{fields}` filled from `values`."""
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def trn(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The singular or plural form for `count` (Chinese has one form)."""
        return self._catalogue.ngettext(singular, plural, count).format(**values)

    def kpi(self, name: str, *, diff: bool = False) -> str:
        """The short label of a KPI; `diff`: of its difference (rates in percentage points)."""
        label = KPI_LABELS.get(name)
        label = self.tr(label) if label else name.replace("_", " ")
        if diff:
            label = label.replace("(%)", self.tr("(pp)"))
        return label

    def replications(self, n: object) -> str:
        """ "20 replications" ("?" when the count is not known)."""
        count = n if isinstance(n, int) else 2
        return self.trn("{n} replication", "{n} replications", count, n=n)


def get_lang(code: str | None) -> Lang:
    """The language for a code; ValueError names the choices."""
    code = code or "en"
    if code not in LANGS:
        raise ValueError(f"--lang: use one of {', '.join(LANGS)} (got {code!r})")
    return Lang(code)
