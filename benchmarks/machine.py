"""What machine the numbers come from."""

from __future__ import annotations

import os
import platform
import sys

__all__ = ["machine_info"]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, str]:
    import numpy
    import psutil
    import scipy
    import simpy

    physical = psutil.cpu_count(logical=False)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = psutil.virtual_memory()
    return {
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} logical, {physical or '?'} physical, {usable} usable",
        "memory": f"{mem.total / 2**30:.1f} GiB total, {mem.available / 2**30:.1f} GiB available",
        "load (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "numpy / scipy / simpy": f"{numpy.__version__} / {scipy.__version__} / {simpy.__version__}",
    }
