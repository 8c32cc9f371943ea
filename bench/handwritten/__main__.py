"""`python -m bench.handwritten init`: create the hand-written app's tables (before the
server's workers start, so that they do not race to create them)."""
import os
import sys
from pathlib import Path

from .storage import create_tables

if __name__ == "__main__":
    if sys.argv[1:] != ["init"]:
        sys.exit("usage: python -m bench.handwritten init")
    instance = Path(os.environ.get("BENCH_HW_INSTANCE", "instance-handwritten")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    create_tables(os.environ.get("BENCH_HW_DATABASE_URL") or f"sqlite:///{instance / 'handwritten.sqlite3'}")
