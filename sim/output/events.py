"""The event log: one row per transition, streamed to disk chunk by chunk (memory stays flat).

Columns: replication, strategy, order_id, buyer_id, segment, time_hours, timestamp (the shop's
local time from ``scenario.start``: a timestamp column in parquet, ISO text in CSV), trigger,
channel (the channel of a `remind` event, empty for the others), source, target, and case_id
("strategy/replication/order_id", unique across the whole file, so process-mining tools such
as pm4py can take the file as it is: case = case_id, activity = trigger, timestamp = timestamp).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fsm.table import compiled_table
from sim.scenario.buyers import CHANNELS

from .cells import safe_cell

__all__ = ["EVENT_COLUMNS", "EventLog", "EventWriter", "merge_event_parts"]

EVENT_COLUMNS = (
    "replication",
    "strategy",
    "order_id",
    "buyer_id",
    "segment",
    "time_hours",
    "timestamp",
    "trigger",
    "channel",
    "source",
    "target",
    "case_id",
)


@dataclass(frozen=True)
class EventLog:
    """Where and how a run's units write their event parts (picklable: it goes to workers)."""

    folder: str
    fmt: str = "csv"

    def part_path(self, file_stem: str) -> Path:
        suffix = "parquet" if self.fmt == "parquet" else "csv"
        return Path(self.folder) / f"{file_stem}.events.{suffix}"

    def open(self, file_stem: str, **labels) -> EventWriter:
        """A writer for one unit's part file; ``labels`` as for :class:`EventWriter`."""
        return EventWriter(self.part_path(file_stem), self.fmt, **labels)


class EventWriter:
    """Appends the transition rows of finished chunks to one part file (CSV or parquet)."""

    def __init__(
        self,
        path: Path,
        fmt: str,
        *,
        replication: int,
        strategy: str,
        segment_names: tuple[str, ...],
        start: dt.date,
    ) -> None:
        self.path, self.fmt = Path(path), fmt
        self.replication = replication
        # text a spreadsheet would run as a formula is quoted in CSV (sim.output.cells); parquet
        # keeps the names as they are
        text = safe_cell if fmt == "csv" else str
        self.strategy = text(strategy)
        self.segments = np.array([text(s) for s in segment_names], dtype=object)
        table = compiled_table()
        self.states = np.array(table.states, dtype=object)
        self.triggers = np.array(table.triggers, dtype=object)
        # channel codes are positions in CHANNELS; -1 (not a reminder) reads the last item
        self.channels = np.array([*CHANNELS, None], dtype=object)
        self.start = np.datetime64(dt.datetime.combine(start, dt.time()), "us")
        self._parquet = None
        self._header = True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)

    def write(self, rows: dict) -> None:
        if rows["order"].size == 0:
            return
        import pandas as pd  # loaded only by runs that write an event log

        stamps = self.start + np.round(rows["time"] * 3.6e9).astype("timedelta64[us]")
        if self.fmt != "parquet":  # CSV has no timestamp type: ISO text, to the second
            stamps = np.datetime_as_string(stamps, unit="s")
        frame = pd.DataFrame(
            {
                "replication": self.replication,
                "strategy": self.strategy,
                "order_id": rows["order"],
                "buyer_id": rows["buyer"],
                "segment": self.segments[rows["segment"]],
                "time_hours": rows["time"],
                "timestamp": stamps,
                "trigger": self.triggers[rows["trigger"]],
                "channel": self.channels[rows["channel"]],
                "source": self.states[rows["source"]],
                "target": self.states[rows["target"]],
            }
        )
        frame["case_id"] = f"{self.strategy}/{self.replication}/" + frame["order_id"].astype(str)
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, schema=_parquet_schema(), preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table)
        else:
            frame.to_csv(self.path, mode="a", header=self._header, index=False)
            self._header = False

    def size(self) -> int:
        """Bytes written to the part file so far."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def abort(self) -> None:
        """Drop the part file (a unit that did not finish leaves nothing behind)."""
        if self._parquet is not None:
            with contextlib.suppress(Exception):
                self._parquet.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self.fmt == "parquet":  # nothing written: an empty table with the columns
            import pyarrow.parquet as pq

            pq.write_table(_parquet_schema().empty_table(), self.path)
        elif self._header:  # nothing written: still leave a file with the header
            import pandas as pd

            pd.DataFrame(columns=list(EVENT_COLUMNS)).to_csv(self.path, index=False)


def _parquet_schema():
    """The parquet columns' types, fixed, so every chunk and part file has the same schema (a
    chunk without a reminder would otherwise give its channel column no type)."""
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("replication", pa.int64()),
            ("strategy", text),
            ("order_id", pa.int64()),
            ("buyer_id", pa.int64()),
            ("segment", text),
            ("time_hours", pa.float64()),
            ("timestamp", pa.timestamp("us")),
            ("trigger", text),
            ("channel", text),
            ("source", text),
            ("target", text),
            ("case_id", text),
        ]
    )


def merge_event_parts(parts: list[Path], target: Path, fmt: str) -> None:
    """Concatenate part files in plan order into ``target`` (streamed; constant memory)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        writer = None
        for part in parts:
            pf = pq.ParquetFile(part)
            for i in range(pf.num_row_groups):
                group = pf.read_row_group(i)
                if writer is None:
                    writer = pq.ParquetWriter(target, group.schema)
                writer.write_table(group)
        if writer is not None:
            writer.close()
        return
    with open(target, "wb") as out:
        for n, part in enumerate(parts):
            with open(part, "rb") as src:
                if n:
                    src.readline()  # every part repeats the header
                shutil.copyfileobj(src, out)
