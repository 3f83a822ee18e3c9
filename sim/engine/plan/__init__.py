"""Compile a validated scenario and one strategy into the numbers the engine reads.

``model`` holds the :class:`Plan` and the buyers, arrivals, shop and staff; each rule family
compiles in its own module: ``kinds_caps`` (order kinds, reminder steps, daily caps),
``after_delivery`` (refusals, returns, insurance, disputes) and ``platform`` (the reading's
compensation, points and bans, and the malicious-order defences).
"""

from .model import Plan, Step, compile_plan, ppf_by_segment

__all__ = ["Plan", "Step", "compile_plan", "ppf_by_segment"]
