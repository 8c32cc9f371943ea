"""Figures and the JSON report every part of the benchmark writes into."""
from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"

OK = "ok"
NOT_AVAILABLE = "not available"
FAILED = "failed"


@dataclass
class Figure:
    """One measured comparison: `ratio` = `subject` / `baseline` (None when not measured)."""

    id: str
    title: str
    ratio: float | None
    ratio_of: str                    # e.g. "runtime / hand-written"
    better: str                      # "higher" or "lower": which way the ratio is good
    raw: dict[str, Any] = field(default_factory=dict)
    status: str = OK
    note: str = ""

    def line(self) -> str:
        ratio = "n/a" if self.ratio is None else f"{self.ratio:.2f}"
        raw = ", ".join(f"{k} {_short(v)}" for k, v in self.raw.items() if not isinstance(v, (dict, list)))
        text = f"{self.id:<34} ratio {ratio:>6} ({self.ratio_of}, {self.better} is better)"
        if self.status != OK:
            text += f"  [{self.status}]"
        if raw:
            text += f"  {raw}"
        if self.note:
            text += f"  -- {self.note}"
        return text


def ratio(subject: float | None, baseline: float | None) -> float | None:
    if subject is None or baseline is None or baseline == 0:
        return None
    return round(subject / baseline, 3)


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "cpu_model": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def document(figures: list[Figure], *, quick: bool, started: datetime.datetime, argv: list[str],
             load_at_start: list[float] | None = None) -> dict[str, Any]:
    """The report; the load averages show how busy the (shared) machine was meanwhile."""
    return {
        "schema": 1,
        "date": started.date().isoformat(),
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(), 1),
        "quick": quick,
        "command": " ".join(["python", "-m", "bench", *argv]),
        "machine": machine(),
        "load_average": {"start": load_at_start, "end": load_average()},
        "figures": [asdict(f) for f in figures],
    }


def write(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def emit(figure: Figure, out=None) -> Figure:
    print(figure.line(), file=out or sys.stdout, flush=True)
    return figure
