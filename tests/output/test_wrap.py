"""Terminal wrapping: Chinese fills its lines, numbers keep their units, words stay whole."""

from __future__ import annotations

import itertools
import re

import pytest
from rich.cells import cell_len

from sim.output.wrap import fill_cells

ANSWERS = [
    "建议: 在下单后 30 分钟给每个未付款订单打电话; 在下单后 4 小时给每个未付款订单发短信; "
    "值班客服人数 = 1 名客服 (phone-first@1)。",
    "  你的催付工具会报告催付成功率 44%、每千单挽回 13,571 元; 其中约每 8 个中有 7 个的买家本来"
    "就会付款: 真实增量为付款订单 0.8 [0.6, 1.0] 个百分点, 每千单 1,666 元。",
    "how-many-agents: 均值 ± 95% 半宽, 3 次重复 — phone-first, 按 值班客服人数 (1/2)",
    "  领先第二名 auto-then-sms +0.75 元 [+0.60, +0.89]: 两者可以区分; 超时关闭 = 72 h",
]


@pytest.mark.parametrize("width", [30, 41, 52, 66, 80])
@pytest.mark.parametrize("text", ANSWERS)
def test_chinese_fills_its_lines_and_keeps_numbers_with_their_units(text: str, width: int):
    lines = fill_cells(text, width, "    ")
    assert all(cell_len(line) <= width for line in lines)
    # nothing lost or added but the breaks (and their spaces)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line, after in itertools.pairwise(lines):
        assert not re.search(r"\d$", line.rstrip()) or not re.match(r"\s*[^\d\s\[(+-]", after)
        for unit in ("小时", "分钟", "名客服", "次重复", "个百分点"):
            for cut in range(1, len(unit)):  # no unit split over two lines
                assert not (line.endswith(unit[:cut]) and after.lstrip().startswith(unit[cut:]))
    words = re.findall(r"[A-Za-z][A-Za-z@\-]*[A-Za-z0-9]", text)  # Latin words and names
    joined = "\n".join(lines)
    assert all(word in joined for word in words)


def test_a_chinese_line_breaks_between_characters_when_no_space_is_near() -> None:
    lines = fill_cells("本结论依赖的行为数字全部是假设而且没有一个经过拟合或者测量所以请先测量", 20)
    assert [cell_len(line) for line in lines[:-1]] == [20, 20, 20] and cell_len(lines[-1]) <= 20


def test_english_breaks_only_at_spaces_as_before() -> None:
    """English text keeps the plain break at the last space that fits (a quoted README output
    depends on it), even between a number and its unit."""
    text = "what it costs: +0.00 reminders per order; +0.00 low ratings per 1,000 orders"
    assert fill_cells(text, 40, "  ") == [
        "what it costs: +0.00 reminders per",
        "  order; +0.00 low ratings per 1,000",
        "  orders",
    ]


def test_a_chinese_name_keeps_a_number_with_its_unit_and_an_english_one_breaks_as_before():
    from sim.output.wrap import wrap_name

    assert wrap_name("no-reminder @ 15 分钟, 72 小时", 20) == ["no-reminder @", "15 分钟, 72 小时"]
    assert wrap_name("sms-once @ 15 min", 12) == ["sms-once @", "15 min"]
    assert wrap_name("channel-by-type-no-discount", 12) == ["channel-by-", "type-no-", "discount"]
