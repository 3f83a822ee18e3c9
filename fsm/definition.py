"""The order lifecycle, declared once as data.

Read it aloud: "from unpaid, ``remind`` goes to reminded". Nothing else in the project spells a
transition; the ``transitions`` machine, the compiled table and the diagrams are all built from
this module.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = [
    "CANCEL_TRIGGERS",
    "INITIAL",
    "STATES",
    "TERMINAL",
    "TRANSITIONS",
    "TRIGGERS",
]

STATES: Final[tuple[str, ...]] = (
    "placed",  # the buyer clicked "拍下"
    "unpaid",  # waiting for payment; the auto-close clock runs
    "reminded",  # the seller has reminded at least once
    "paid",
    "cancelled",  # by the buyer, the seller or the platform's auto-close
    "shipped",
    "delivered",
    "refused",  # the buyer refused the parcel at the door
    "disputed",
    "refunded",
    "completed",
)

INITIAL: Final[str] = "placed"

TERMINAL: Final[frozenset[str]] = frozenset({"cancelled", "refunded", "completed"})

_WAITING_FOR_PAYMENT: Final[list[str]] = ["unpaid", "reminded"]

TRANSITIONS: Final[tuple[dict[str, str | list[str]], ...]] = (
    {"trigger": "await_payment", "source": "placed", "dest": "unpaid"},
    # a reminder can be repeated; over-reminding is a cost, not a state
    {"trigger": "remind", "source": "unpaid", "dest": "reminded"},
    {"trigger": "remind", "source": "reminded", "dest": "reminded"},
    {"trigger": "pay", "source": _WAITING_FOR_PAYMENT, "dest": "paid"},
    {"trigger": "cancel_by_buyer", "source": _WAITING_FOR_PAYMENT, "dest": "cancelled"},
    {"trigger": "close_by_seller", "source": _WAITING_FOR_PAYMENT, "dest": "cancelled"},
    {"trigger": "auto_close", "source": _WAITING_FOR_PAYMENT, "dest": "cancelled"},
    {"trigger": "ship", "source": "paid", "dest": "shipped"},
    # out of stock after payment
    {"trigger": "refund", "source": "paid", "dest": "refunded"},
    # the refused parcel came back
    {"trigger": "refund", "source": "refused", "dest": "refunded"},
    {"trigger": "deliver", "source": "shipped", "dest": "delivered"},
    {"trigger": "refuse", "source": "shipped", "dest": "refused"},
    # signed for, then sent back (seven days without a reason, or asked to sign): refunded
    {"trigger": "return_goods", "source": "delivered", "dest": "refunded"},
    {"trigger": "confirm", "source": "delivered", "dest": "completed"},
    {"trigger": "open_dispute", "source": "delivered", "dest": "disputed"},
    {"trigger": "settle_for_seller", "source": "disputed", "dest": "completed"},
    {"trigger": "settle_for_buyer", "source": "disputed", "dest": "refunded"},
    # the buyer's card issuer reverses the payment (拒付, a card chargeback, not a dispute)
    {"trigger": "charge_back", "source": "delivered", "dest": "refunded"},
)

# every trigger, in first-appearance order of TRANSITIONS
TRIGGERS: Final[tuple[str, ...]] = tuple(dict.fromkeys(str(t["trigger"]) for t in TRANSITIONS))

# who cancelled an unpaid order -> the trigger that records it
CANCEL_TRIGGERS: Final[MappingProxyType[str, str]] = MappingProxyType(
    {
        "buyer": "cancel_by_buyer",
        "seller": "close_by_seller",
        "auto_close": "auto_close",
    }
)
