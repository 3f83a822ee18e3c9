"""Benchmarks for ordersim: ``python -m benchmarks [--quick|--big|--parallel|--all]``.

Every measurement runs in a fresh child process (``benchmarks.child``) so that its peak RSS is
its own. Times are printed, never asserted on.
"""
