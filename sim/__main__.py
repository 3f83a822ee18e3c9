"""`python -m sim`: the same command line as `ordersim`."""

from sim.cli import main

raise SystemExit(main())
