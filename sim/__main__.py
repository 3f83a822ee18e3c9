"""`python -m sim`: the same as the `ordersim` command."""

from sim.cli import main

if __name__ == "__main__":  # not when a spawned worker imports this module
    raise SystemExit(main())
