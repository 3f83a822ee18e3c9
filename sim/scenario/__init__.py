"""The scenario format: TOML in, a frozen, validated `Scenario` out.

`load_scenario` is the one gate; everything wrong with a file is reported at once as a
`ScenarioError`. `apply_override` and `sweep_variants` change one key and validate again.
"""

from sim.scenario.buyers import CHANNELS, Channel, ChannelChances, Segment
from sim.scenario.distributions import (
    Distribution,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Uniform,
)
from sim.scenario.kinds import OrderKind
from sim.scenario.load import load_scenario, scenario_from_dict, scenario_json_schema
from sim.scenario.models import (
    Arrivals,
    Channels,
    Inventory,
    Quality,
    Scenario,
    ScenarioMeta,
    Shop,
    Staff,
    Sweep,
)
from sim.scenario.paths import apply_override, resolve, scenario_input, sweep_variants
from sim.scenario.presets import PRESETS, Platform
from sim.scenario.strategies import (
    Deadline,
    Discount,
    FreeShipping,
    Gift,
    Incentive,
    Levers,
    Policy,
    ReminderStep,
    Strategy,
)
from sim.scenario.targeting import OnlyIf

__all__ = [
    "CHANNELS",
    "PRESETS",
    "Arrivals",
    "Channel",
    "ChannelChances",
    "Channels",
    "Deadline",
    "Discount",
    "Distribution",
    "Exponential",
    "Fixed",
    "FreeShipping",
    "Gamma",
    "Gift",
    "Incentive",
    "Inventory",
    "Levers",
    "Lognormal",
    "OnlyIf",
    "OrderKind",
    "Platform",
    "Policy",
    "Quality",
    "ReminderStep",
    "Scenario",
    "ScenarioMeta",
    "Segment",
    "Shop",
    "Staff",
    "Strategy",
    "Sweep",
    "Uniform",
    "apply_override",
    "load_scenario",
    "resolve",
    "scenario_from_dict",
    "scenario_input",
    "scenario_json_schema",
    "sweep_variants",
]
