"""Which column of an export plays which role, and what its order statuses mean.

A Taobao/Tmall seller-centre export (订单报表) is recognised by its Chinese headers; any other
export names its columns with ``--columns role=COLUMN,...``. Statuses and close reasons are
read in Chinese or English and sorted into a few kinds the fit needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.errors import Said, UsageError
from sim.output.i18n import N_

from .errors import ExportError, located

__all__ = [
    "ROLES",
    "TAOBAO_HEADERS",
    "close_kind",
    "parse_columns_option",
    "resolve_roles",
    "status_kind",
]

ROLES = (
    "order",
    "buyer",
    "placed",
    "paid",
    "status",
    "close_reason",
    "shipped",
    "delivered",
    "completed",
    "promised",
    "amount",
    "quantity",
)
REQUIRED = ("placed",)
DATE_ROLES = ("placed", "paid", "shipped", "delivered", "completed", "promised")

# role -> headers that Taobao / Tmall seller-centre exports use for it (first found wins)
TAOBAO_HEADERS: Mapping[str, tuple[str, ...]] = {
    "order": ("订单编号", "订单号", "主订单编号"),
    "buyer": ("买家会员名", "买家昵称", "买家账号"),
    "placed": ("订单创建时间", "创建时间", "下单时间"),
    "paid": ("订单付款时间", "付款时间", "订单付款时间 "),
    "status": ("订单状态",),
    "close_reason": ("订单关闭原因", "关闭原因"),
    "shipped": ("发货时间", "卖家发货时间"),
    "completed": ("确认收货时间", "交易成功时间", "交易完成时间"),
    "amount": ("买家实际支付金额", "实付金额", "总金额"),
    "quantity": ("宝贝总数量", "宝贝数量", "商品数量"),
}

# status text (lower case, no blanks) -> kind
_STATUS = {
    "等待买家付款": "open",
    "买家已付款，等待卖家发货": "paid",
    "买家已付款,等待卖家发货": "paid",
    "卖家已发货，等待买家确认": "paid",
    "卖家已发货,等待买家确认": "paid",
    "部分发货": "paid",
    "交易成功": "paid",
    "交易关闭": "closed",
    "交易已关闭": "closed",
}
_OPEN_WORDS = ("created", "pending", "wait_buyer_pay", "awaiting", "unpaid", "waiting", "new")
_PAID_WORDS = (
    "paid",
    "approved",
    "invoiced",
    "processing",
    "shipped",
    "delivered",
    "completed",
    "complete",
    "success",
    "finished",
    "fulfilled",
)
_CLOSED_WORDS = ("cancel", "closed", "unavailable", "expired", "timeout", "timed_out", "void")
_BUYER_WORDS = ("买家", "不想买", "拍错", "信息填写错误", "buyer", "customer", "by_user", "user")
_TIMEOUT_WORDS = ("超时", "过期", "自动关闭", "timeout", "time out", "timed out", "expired", "auto")
_SELLER_WORDS = ("卖家", "缺货", "seller", "merchant", "out of stock", "stock")


def status_kind(text: str) -> str:
    """'open' (waiting for payment), 'paid' (paid at some point), 'closed', or '' (unknown)."""
    t = text.strip()
    if not t:
        return ""
    if t in _STATUS:
        return _STATUS[t]
    low = t.lower().replace(" ", "_")
    if any(w in low for w in _CLOSED_WORDS):
        return "closed"
    if any(w in low for w in _OPEN_WORDS):
        return "open"
    if any(w in low for w in _PAID_WORDS):
        return "paid"
    if "关闭" in t:
        return "closed"
    if "付款" in t or "发货" in t or "成功" in t:
        return "paid"
    return ""


def close_kind(text: str) -> str:
    """'timeout', 'buyer', 'seller' or '' (not told) for a close reason or status text."""
    low = text.strip().lower()
    if not low:
        return ""
    if any(w in low for w in _TIMEOUT_WORDS):
        return "timeout"
    if any(w in low for w in _SELLER_WORDS):
        return "seller"
    if any(w in low for w in _BUYER_WORDS):
        return "buyer"
    return ""


def parse_columns_option(text: str | None) -> dict[str, str]:
    """``order=id,placed=created_at`` -> {role: header}; bad roles are usage errors."""
    if not text:
        return {}
    out: dict[str, str] = {}
    problems = []
    for part in text.split(","):
        if not part.strip():
            continue
        role, eq, column = part.partition("=")
        role, column = role.strip(), column.strip()
        if not eq or not column:
            message = N_("--columns: write role=COLUMN (got {part})")
            problems.append(Said(message, part=repr(part.strip())))
        elif role not in ROLES:
            message = N_("--columns: unknown role {role}; roles are {roles}")
            problems.append(Said(message, role=repr(role), roles=", ".join(ROLES)))
        else:
            out[role] = column
    if problems:
        error = UsageError("\n".join(problems))
        error.lines = problems  # each said in the reader's language (`said_in`)
        raise error
    return out


def resolve_roles(headers: list[str], given: dict[str, str], name: str) -> dict[str, str]:
    """role -> header: the --columns given, then Taobao headers for roles not given.

    A role named in --columns must exist; a missing required role lists the headers found.
    """
    found = set(headers)
    problems = []
    shown = ", ".join(headers[:30]) + (", ..." if len(headers) > 30 else "")
    roles: dict[str, str] = {}
    for role, column in given.items():
        if column in found:
            roles[role] = column
        else:
            problems.append(
                located(
                    name,
                    Said(N_("column given for role {role} not found"), role=repr(role)),
                    row=1,
                    column=column,
                    got_text=Said(N_("headers {headers}"), headers=shown),
                )
            )
    for role, candidates in TAOBAO_HEADERS.items():
        if role in roles or role in given:
            continue
        for header in candidates:
            if header in found:
                roles[role] = header
                break
    for role in REQUIRED:
        if role not in roles and role not in given:
            wanted = TAOBAO_HEADERS[role][0]
            problems.append(
                located(
                    name,
                    Said(
                        N_(
                            "required column missing: the order creation time ({wanted}); "
                            "name it with --columns {role}=COLUMN"
                        ),
                        wanted=wanted,
                        role=role,
                    ),
                    row=1,
                    column=wanted,
                    got_text=Said(N_("headers {headers}"), headers=shown),
                )
            )
    if problems:
        raise ExportError(problems)
    return roles
