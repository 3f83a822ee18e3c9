"""Starting and changing a scenario from the command line: init, run NAME, --set, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

REPO = Path(__file__).parents[1]


@pytest.mark.parametrize("preset", ["taobao", "tmall", "aliexpress"])
def test_init_writes_a_commented_starter_that_validates(tmp_path, capsys, preset) -> None:
    path = tmp_path / "my-shop.toml"
    assert main(["init", str(path), "--preset", preset]) == 0
    text = path.read_text(encoding="utf-8")
    assert f'preset = "{preset}"' in text and text.count("#") > 15
    assert main(["validate", str(path)]) == 0
    assert "ok (2 segments, 2 strategies)" in capsys.readouterr().out


def test_init_does_not_overwrite(tmp_path, capsys) -> None:
    path = tmp_path / "s.toml"
    path.write_text("mine")
    assert main(["init", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err and path.read_text() == "mine"


def test_a_bundled_scenario_is_found_by_name_and_a_typo_gets_a_suggestion(capsys) -> None:
    assert main(["validate", "how-many-agents"]) == 0
    assert main(["validate", "how-many-agent"]) == 2
    err = capsys.readouterr().err
    assert "no such file; did you mean scenarios/how-many-agents.toml?" in err


def test_set_overrides_are_checked_like_the_file(capsys) -> None:
    ref = str(REPO / "docs" / "reference.toml")
    assert main(["validate", ref, "--set", "staff.agents=3", "--set", "platform.preset=tmall"]) == 0
    capsys.readouterr()
    code = main(["validate", ref, "--set", "staff.agents=-1", "--set", "staff.agentz=2",
                 "--set", "segments.malicious.share=2"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert (
        "--set staff.agentz: no such key: staff has no key 'agentz'; did you mean 'agents'?" in err
    )
    assert "staff.agents: must be at least 0 (got -1)" in err
    assert "segments.malicious.share: must be at most 1 (got 2)" in err


def test_set_needs_key_equals_value(capsys) -> None:
    assert main(["validate", "how-many-agents", "--set", "staff.agents"]) == 2
    assert "use KEY=VALUE" in capsys.readouterr().err


def test_messages_name_list_items_count_in_words_and_round_sums(tmp_path, capsys) -> None:
    one = tmp_path / "one.toml"
    one.write_text('[scenario]\nname="x"\n[[segments]]\nname="a"\nshare=1.0\n'
                   '[[strategies]]\nname="s"\n')  # fmt: skip
    assert main(["validate", str(one)]) == 0
    assert "ok (1 segment, 1 strategy)" in capsys.readouterr().out
    two = tmp_path / "two.toml"
    two.write_text('[scenario]\nname="x"\n[[segments]]\nname="a"\nshare=0.1\n[[segments]]\n'
                   'name="short-of-balance"\nshare=0.2\n[[strategies]]\nname="s"\n')  # fmt: skip
    assert main(["validate", str(two)]) == 0
    assert "(got 0.3)" in capsys.readouterr().err
    two.write_text(two.read_text().replace("share=0.2", "share=1.5"))
    assert main(["validate", str(two)]) == 2
    assert "segments.short-of-balance.share: must be at most 1" in capsys.readouterr().err


def test_a_duplicated_sweep_table_is_explained(tmp_path, capsys) -> None:
    path = tmp_path / "dup.toml"
    sweep = '[sweep]\nparameter="staff.agents"\nvalues=[1]\n'
    path.write_text('[scenario]\nname="x"\n[[segments]]\nname="a"\nshare=1.0\n'
                    '[[strategies]]\nname="s"\n' + sweep + sweep)  # fmt: skip
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "the table [sweep] appears twice" in err and "a sweep varies one key" in err
