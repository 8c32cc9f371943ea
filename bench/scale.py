"""Figure 3: the cost of configuration as the number of municipalities grows.

The real definitions folder has 43 municipalities; larger folders are made in a temp
directory by cloning real overlays round-robin under new ids, ATVK and ISO codes. Each size
is measured in a fresh subprocess (`bench.probe`), as a worker process would start.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

from .report import ROOT, Figure, emit, ratio

DEFINITIONS = ROOT / "definitions"


def make_definitions(target: Path, count: int) -> Path:
    """A copy of definitions/ with `count` municipalities (the real ones first)."""
    for part in ("services", "codelists", "templates", "fixtures"):
        if (DEFINITIONS / part).exists():
            shutil.copytree(DEFINITIONS / part, target / part)
    municipalities = target / "municipalities"
    municipalities.mkdir(parents=True)
    real = sorted((DEFINITIONS / "municipalities").glob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in real]
    for path, text in zip(real, texts):
        (municipalities / path.name).write_text(text, encoding="utf-8")
    used_iso = {m.group(1) for text in texts if (m := re.search(r"^  iso: LV-(\S+)", text, re.M))}
    iso_codes = ("".join(letters) for letters in itertools.product(string.ascii_uppercase, repeat=3))
    iso_codes = (code for code in iso_codes if code not in used_iso)
    for number in range(1, max(0, count - len(real)) + 1):
        text = texts[(number - 1) % len(texts)]
        new_id = f"gen-{number:04d}"
        text = re.sub(r"^  id: .*$", f"  id: {new_id}", text, count=1, flags=re.M)
        text = re.sub(r"^  atvk: .*$", f'  atvk: "{9000000 + number:07d}"', text, count=1, flags=re.M)
        text = re.sub(r"^  iso: .*$", f"  iso: LV-{next(iso_codes)}", text, count=1, flags=re.M)
        (municipalities / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return target


def probe(*args: str) -> dict:
    # The probe starts like a fresh worker: no PKIP_* settings from whoever runs the bench.
    clean_env = {name: value for name, value in os.environ.items() if not name.startswith("PKIP_")}
    completed = subprocess.run([sys.executable, "-m", "bench.probe", *args], cwd=ROOT, capture_output=True,
                               text=True, timeout=900, env=clean_env)
    if completed.returncode != 0:
        raise RuntimeError(f"bench.probe {args[0]} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def best_of(runs: list[dict]) -> dict:
    """Several runs of one probe: the least time (what the work costs when nothing else
    interferes; the machine may be shared) and the largest memory."""
    best = dict(runs[0])
    for key in best:
        values = [run[key] for run in runs]
        if key.endswith("_s"):
            best[key] = min(values)
        elif key.endswith("_kb"):
            best[key] = max(values)
    best["repeats"] = len(runs)
    return best


def measure(sizes: list[int], *, trace: bool = True, app: bool = True, repeats: int = 1) -> dict[int, dict]:
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pkip-bench-scale-") as tmp:
        for size in sizes:
            folder = DEFINITIONS if size == 43 else make_definitions(Path(tmp) / f"defs-{size}", size)
            row = best_of([probe("load", str(folder)) for _ in range(repeats)])
            if row["errors"]:
                raise RuntimeError(f"the generated definitions with {size} municipalities have {row['errors']} errors")
            if row["municipalities"] != max(size, 43):
                raise RuntimeError(f"expected {size} municipalities, loaded {row['municipalities']}")
            if trace:
                row.update(probe("trace", str(folder)))
            results[size] = row
        if app:
            results[sizes[0]]["app"] = best_of([probe("app", str(DEFINITIONS), str(Path(tmp) / f"instance-{n}"))
                                                for n in range(repeats)])
    return results


def figures(sizes: list[int], *, trace: bool = True, app: bool = True, repeats: int = 1) -> list[Figure]:
    rows = measure(sizes, trace=trace, app=app, repeats=repeats)
    base, top = sizes[0], sizes[-1]
    b, t = rows[base], rows[top]
    out = []
    raw_sizes = {str(size): {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                 for size, row in rows.items()}
    startup = {f"load_s@{size}": round(row["load_s"], 3) for size, row in rows.items()}
    out.append(emit(Figure(
        f"scale.startup_{top}_vs_{base}", f"load_catalogue time, {top} vs {base} municipalities",
        ratio(t["load_s"], b["load_s"]), f"{top} / {base} municipalities", "lower",
        {**startup, "sizes": raw_sizes},
        note=f"municipalities x{top / base:.1f}")))
    per_m = {size: (row["load_s"] - b["load_s"]) / (size - base) * 1000 for size, row in rows.items() if size != base}
    out.append(emit(Figure(
        "scale.ms_per_extra_municipality", f"marginal load time per municipality beyond {base}",
        ratio(per_m[top], b["load_s"] * 1000 / base), f"marginal / average at {base}", "lower",
        {f"ms@{size}": round(v, 3) for size, v in per_m.items()} | {f"avg_ms@{base}": round(b["load_s"] * 1000 / base, 3)})))
    out.append(emit(Figure(
        f"scale.rss_{top}_vs_{base}", f"peak RSS of one worker process, {top} vs {base} municipalities",
        ratio(t["rss_peak_kb"], b["rss_peak_kb"]), f"{top} / {base} municipalities", "lower",
        {f"rss_mb@{size}": round(row["rss_peak_kb"] / 1024, 1) for size, row in rows.items()}
        | ({f"heap_peak_mb@{size}": round(row["traced_peak_kb"] / 1024, 1) for size, row in rows.items()} if trace else {}))))
    bind_us = {size: row["bind_s"] / row["municipalities"] * 1e6 for size, row in rows.items()}
    out.append(emit(Figure(
        f"scale.bind_per_municipality_{top}_vs_{base}", "binding every service to one municipality (effective())",
        ratio(bind_us[top], bind_us[base]), f"{top} / {base} municipalities", "lower",
        {f"us_per_municipality@{size}": round(v, 1) for size, v in bind_us.items()}
        | {f"pairs@{size}": rows[size]["pairs"] for size in rows})))
    if app:
        a = rows[base]["app"]
        out.append(emit(Figure(
            "scale.create_app_vs_load", f"create_app() with {base} municipalities (SQLite, sync on start)",
            ratio(a["create_app_s"], b["load_s"]), "create_app / load_catalogue", "lower",
            {"create_app_s": round(a["create_app_s"], 3), "load_catalogue_s": round(b["load_s"], 3),
             "import_app_s": round(a["import_s"], 3), "rss_mb": round(a["rss_peak_kb"] / 1024, 1),
             "weasyprint_in_web_worker": a["weasyprint_imported"]})))
    return out
