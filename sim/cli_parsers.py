"""One way to add a subcommand, so every ``ordersim X --help`` reads alike."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

__all__ = ["add_subcommand"]


def add_subcommand(
    subparsers: Any, name: str, summary: str, description: str, example: str
) -> argparse.ArgumentParser:
    """A subparser whose --help shows a paragraph and an example."""
    return subparsers.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, width=78),
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
