"""`python -m bench [--quick] [--json PATH] [--only PART[,PART]]`: see bench/README.md."""
from __future__ import annotations

import argparse
import datetime
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import report

PARTS = ("form", "pages", "growth", "submit", "scale", "large", "documents", "inbox")


@dataclass(frozen=True)
class Sizes:
    load_seconds: float         # wrk duration per target and request kind
    submit_seconds: float       # duration of the submission load per target and database
    scale: tuple[int, ...]      # municipality counts; the first is the real 43
    scale_trace: bool           # tracemalloc pass per size (slow at 1000)
    large_runs: int
    large_groups: int
    large_top_level: int
    documents: int              # PDFs per renderer
    inprocess: int              # owner-page requests per app in one process (no HTTP)
    pages: int                  # requests per page and app in one process (bench/pages.py)
    growth_runs: int            # evaluations per size of the repeat (bench/growth.py)
    inbox_cases: int = 252_148  # cases loaded into PostgreSQL for the staff inbox (bench/inbox.py): a year's
    inbox_requests: int = 20    # requests per inbox view and for the owner page beside it


FULL = Sizes(15, 20, (43, 119, 1000), True, 500, 10, 77, 20, 300, 300, 200)
QUICK = Sizes(2, 2, (43, 1000), False, 50, 10, 77, 3, 30, 30, 20, inbox_cases=5_000, inbox_requests=3)
TINY = Sizes(1, 1, (43, 45), True, 3, 10, 77, 1, 3, 3, 2, inbox_cases=500, inbox_requests=1)   # shape, not figures


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts: the whole run in under two minutes")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=report.RESULTS, help="where to write the figures")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts ({', '.join(PARTS)})")
    arguments = parser.parse_args(argv)
    arguments.parts = [p.strip() for p in arguments.only.split(",") if p.strip()]
    unknown = set(arguments.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    return arguments


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse(argv)
    sizes = TINY if arguments.tiny else QUICK if arguments.quick else FULL
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    load_at_start = report.load_average()
    figures: list[report.Figure] = []
    web_done = False
    for part in PARTS:
        if part not in arguments.parts:
            continue
        if part in ("form", "submit"):
            if web_done:
                continue
            web_done = True
            web_parts = [p for p in ("form", "submit") if p in arguments.parts]
            print(f"# {' and '.join(web_parts)}", flush=True)
            from . import web
            figures += web.figures(web_parts, sizes.load_seconds, sizes.submit_seconds, sizes.inprocess)
            continue
        print(f"# {part}", flush=True)
        figures += run_part(part, sizes)
    doc = report.document(figures, quick=arguments.quick or arguments.tiny, started=started, argv=argv,
                          load_at_start=load_at_start)
    report.write(doc, arguments.json)
    print(f"# {len(figures)} figures in {time.perf_counter() - clock:.0f} s -> {arguments.json} "
          f"(load average {load_at_start} at the start, {doc['load_average']['end']} at the end)", flush=True)
    return 0


def run_part(part: str, sizes: Sizes) -> list[report.Figure]:
    if part == "scale":
        from . import scale
        return scale.figures(list(sizes.scale), trace=sizes.scale_trace, repeats=3 if sizes is FULL else 1)
    if part == "large":
        from . import large
        return large.figures(sizes.large_runs, groups=sizes.large_groups, top_level=sizes.large_top_level)
    if part == "pages":
        from . import pages
        return pages.figures(sizes.pages)
    if part == "growth":
        from . import growth, growth_pages
        return growth.figures(sizes.growth_runs) + growth_pages.figures(sizes.growth_runs)
    if part == "inbox":
        from . import inbox
        return inbox.figures(sizes.inbox_cases, sizes.inbox_requests)
    if part == "documents":
        from . import documents
        return documents.figures(sizes.documents)
    raise AssertionError(part)


if __name__ == "__main__":
    sys.exit(main())
