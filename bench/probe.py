"""Run in a fresh subprocess (a stand-in for one worker process) and print one JSON line.

    python -m bench.probe load DEFINITIONS     time to import, load, bind every pair; peak RSS
    python -m bench.probe trace DEFINITIONS    tracemalloc peak of load + bind (slower: separate run)
    python -m bench.probe app DEFINITIONS INSTANCE   time create_app() on SQLite; peak RSS
"""
from __future__ import annotations

import json
import resource
import sys
import time


def rss_kb() -> int:
    """Peak RSS of this process in kilobytes: VmHWM (per address space, so not the parent's
    peak, which `ru_maxrss` carries over a fork and exec), else getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bind_all(catalogue) -> int:
    pairs = 0
    for municipality in catalogue.municipalities:
        for service in catalogue.services:
            if catalogue.effective(municipality, service) is not None:
                pairs += 1
    return pairs


def load(definitions: str) -> dict:
    started = time.perf_counter()
    from builder.catalogue import load_catalogue
    imported = time.perf_counter()
    rss_import = rss_kb()
    catalogue = load_catalogue(definitions)
    loaded = time.perf_counter()
    pairs = bind_all(catalogue)
    bound = time.perf_counter()
    return {
        "import_s": imported - started, "load_s": loaded - imported, "bind_s": bound - loaded,
        "pairs": pairs, "municipalities": len(catalogue.municipalities), "services": len(catalogue.services),
        "errors": len(catalogue.problems.errors), "rss_import_kb": rss_import, "rss_peak_kb": rss_kb(),
    }


def trace(definitions: str) -> dict:
    from builder.catalogue import load_catalogue
    import tracemalloc
    tracemalloc.start()
    catalogue = load_catalogue(definitions)
    bind_all(catalogue)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"traced_current_kb": current // 1024, "traced_peak_kb": peak // 1024,
            "municipalities": len(catalogue.municipalities)}


def app(definitions: str, instance: str) -> dict:
    started = time.perf_counter()
    from app import create_app
    imported = time.perf_counter()
    rss_import = rss_kb()
    create_app({"instance_path": instance, "definitions_path": definitions, "env": "testing",
                "auto_upgrade": True, "secret_key": "b" * 40})
    created = time.perf_counter()
    return {"import_s": imported - started, "create_app_s": created - imported,
            "rss_import_kb": rss_import, "rss_peak_kb": rss_kb(),
            "weasyprint_imported": "weasyprint" in sys.modules}     # only the outbox worker needs it


def main(argv: list[str]) -> int:
    mode, *rest = argv
    result = {"load": load, "trace": trace, "app": app}[mode](*rest)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
