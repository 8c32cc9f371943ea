"""Queues: a service's register of its cases, ordered by declared keys (the language's
`queue:` block, `builder.model.Queue`). Nothing here knows about preschools.

Semantics (docs/language.md, "queue"):

- **Partitions.** `partition_by` names a field path. Its value in a case's answers puts the
  case in that partition's queue. A list gives one entry per element: a repeat's member
  (`institutions.institution`) or a multi_choice; the element's 1-based place in the list is
  the entry's **rank** (the applicant's preference). An empty value gives no entry; the
  same value twice keeps the better rank. Without `partition_by` the service has one queue.
- **Order.** `order_by` keys are computed values, field paths (a member of the partition's
  repeat is read from the same element) or `submitted_at` (the exact registration time);
  each ascending, `-key` descending; a missing value comes after every present one. The
  case's id (ascending, i.e. insertion order) breaks every remaining tie, so the order is
  total: no two cases ever share a position, even with identical timestamps.
- **Frozen keys.** The keys are taken once, when the case is submitted, from the same
  evaluation that accepted it, and stored in `queue_entries` (`record_queue_entries`).
  Later changes of parameters, of the definition or of the calendar do not reshuffle
  registered cases.
- **Membership.** An entry counts while its case's *current* status is one of
  `active_states`; this is read from `submissions.status` on every query, so a status
  change moves everybody behind the case up at once (withdrawal, admission: an admitted
  case leaves every partition of its own). `on_status_change` deletes the entries of a
  case that reached a final state (housekeeping); a case in a non-final inactive state
  keeps its entries and gets its original place back if it returns to an active state.
- **Definition used.** Positions use the queue of the service as the catalogue offers it
  now (one definition for everybody in the queue), with the partition labels from the
  municipality's current options.

Concurrency: writing entries is plain INSERTs in the submission's transaction; positions
are computed at read time from committed rows, so two submissions at the same moment
simply get consecutive positions (tie broken by id).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .storage.models import QueueEntry, ServiceVersion, Submission

SUBMITTED_AT = "submitted_at"
PARTITION_LENGTH = 200
_TAG_ORDER = {"b": 0, "n": 1, "d": 2, "t": 3, "s": 4}


@dataclass(frozen=True)
class QueuePosition:
    partition_value: str          # "" when the service has one queue
    partition_label: Any          # the option's label (a Text) or the value itself
    rank: int                     # the partition's place in the applicant's own list, from 1
    position: int                 # 1 = first in that partition's queue
    total: int                    # active cases in that partition


# -- writing -----------------------------------------------------------------------
def record_queue_entries(session: Session, effective: Any, submission: Submission, outcome: Any) -> list[QueueEntry]:
    """Write the case's queue entries in the current transaction (call it right after
    adding the submission, with the outcome of the authoritative evaluation). Replaces
    any earlier entries of the case. Returns the rows written; none if the service has no
    queue."""
    service = effective.service
    queue = getattr(service, "queue", None)
    if queue is None:
        return []
    if submission.id is None or submission.submitted_at is None:
        session.flush()
    session.execute(delete(QueueEntry).where(QueueEntry.submission_id == submission.id))
    rows = [
        QueueEntry(submission_id=submission.id, municipality_id=submission.municipality_id,
                   service_id=service.id, partition=partition, rank=rank,
                   order_keys={key: _encode(_key_value(key, outcome, item, submission))
                               for key in (_key_name(k) for k in queue.order_by)})
        for partition, rank, item in partitions(queue.partition_by, outcome.values)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def on_status_change(session: Session, submission: Submission, *, catalogue: Any = None) -> int:
    """Keep the queue in step with a status change (call it in the same transaction).

    Membership follows the status by itself; this removes the entries of a case that
    reached a final state outside the queue (returns how many), and re-creates missing
    entries of a case that is in an active state (from its stored answers, evaluated as
    on its submission day)."""
    effective = _effective_for(session, submission, catalogue)
    queue = getattr(effective.service, "queue", None) if effective is not None else None
    if queue is None:
        return 0
    if submission.status in queue.active_states:
        exists = session.scalars(select(QueueEntry.id).where(QueueEntry.submission_id == submission.id)).first()
        if exists is None:
            record_queue_entries(session, effective, submission, _reevaluate(effective, submission))
        return 0
    process = effective.service.process
    state = process.states.get(submission.status) if process is not None else None
    if state is None or not state.final:
        return 0
    result = session.execute(delete(QueueEntry).where(QueueEntry.submission_id == submission.id))
    return result.rowcount or 0


# -- reading -----------------------------------------------------------------------
def positions(session: Session, service_id: str, municipality_id: str, submission: Submission,
              *, catalogue: Any = None) -> list[QueuePosition]:
    """The case's position in each partition it is queued in, by rank. Empty when the
    service keeps no queue or the case is not in an active state."""
    effective = _catalogue(catalogue).effective(municipality_id, service_id)
    queue = getattr(effective.service, "queue", None) if effective is not None else None
    if queue is None or submission.status not in queue.active_states:
        return []
    mine = session.scalars(select(QueueEntry).where(QueueEntry.submission_id == submission.id)
                           .order_by(QueueEntry.rank)).all()
    if not mine:
        return []
    rows = session.execute(
        select(QueueEntry.partition, QueueEntry.submission_id, QueueEntry.order_keys)
        .join(Submission, Submission.id == QueueEntry.submission_id)
        .where(QueueEntry.municipality_id == municipality_id, QueueEntry.service_id == service_id,
               QueueEntry.partition.in_([entry.partition for entry in mine]),
               Submission.status.in_(queue.active_states))
    ).all()
    by_partition: dict[str, list[tuple[int, dict]]] = {}
    for partition, submission_id, keys in rows:
        by_partition.setdefault(partition, []).append((submission_id, keys or {}))
    compare = functools.cmp_to_key(_comparator(queue.order_by))
    labels = partition_labels(effective)
    found = []
    for entry in mine:
        ordered = sorted(by_partition.get(entry.partition, []), key=compare)
        place = next(i for i, (sid, _keys) in enumerate(ordered, start=1) if sid == submission.id)
        found.append(QueuePosition(entry.partition, labels.get(entry.partition, entry.partition),
                                   entry.rank, place, len(ordered)))
    return found


def partition_labels(effective: Any) -> dict[str, Any]:
    """Partition value -> the label of that option of the partition field (if a choice)."""
    queue = effective.service.queue
    field = effective.service.field_index.get(queue.partition_by) if queue.partition_by else None
    if field is None or getattr(field, "choices", None) is None:
        return {}
    return {option.value: option.label for option in effective.options(field)}


def partition_field_label(effective: Any) -> Any:
    """The label of the `partition_by` field (e.g. "Preschool"), or None."""
    queue = effective.service.queue
    field = effective.service.field_index.get(queue.partition_by) if queue and queue.partition_by else None
    return field.label if field is not None else None


# -- partitions and keys -----------------------------------------------------------
def partitions(partition_by: str | None, values: dict) -> Iterator[tuple[str, int, dict | None]]:
    """(partition value, rank, the repeat entry it came from) for each queue entry of a
    case whose typed answers are `values`; see the module's docstring."""
    if partition_by is None:
        yield "", 1, None
        return
    seen: set[str] = set()
    for value, rank, item in _walk(values, partition_by.split(".")):
        if value is None or value == "":
            continue
        text = _partition_text(value)
        if text not in seen:
            seen.add(text)
            yield text, rank, item


def _walk(node: Any, parts: list[str], rank: int = 1, item: dict | None = None) -> Iterable[tuple[Any, int, dict | None]]:
    if not parts:
        if isinstance(node, list):                      # a multi_choice: one entry per element
            for index, element in enumerate(node):
                yield element, index + 1, item
        else:
            yield node, rank, item
        return
    if isinstance(node, list):                          # a repeat on the way: one entry per element
        for index, element in enumerate(node):
            yield from _walk(element, parts, index + 1, element if isinstance(element, dict) else None)
        return
    if isinstance(node, dict):
        yield from _walk(node.get(parts[0]), parts[1:], rank, item)


def _partition_text(value: Any) -> str:
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (dt.date, Decimal, int)):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)[:PARTITION_LENGTH]


def _key_name(key: str) -> str:
    return key[1:] if key.startswith("-") else key


def _key_value(name: str, outcome: Any, item: dict | None, submission: Submission) -> Any:
    if name == SUBMITTED_AT:
        return submission.submitted_at
    computed = getattr(outcome, "computed", {}) or {}
    if name in computed:
        return computed[name]
    node: Any = outcome.values
    for part in name.split("."):
        if isinstance(node, list):                       # the partition's repeat: this entry
            node = item
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _encode(value: Any) -> list | None:
    """A JSON value that keeps the type, so that decoding compares like with like."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, (int, Decimal, float)):
        return ["n", str(Decimal(str(value)))]
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return ["t", value.strftime("%Y-%m-%dT%H:%M:%S.%f")]      # naive = UTC (SQLite)
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    return ["s", str(value)]


def _decoded(encoded: Any) -> tuple[int, Any] | None:
    if not isinstance(encoded, list) or len(encoded) != 2:
        return None
    tag, raw = encoded
    return _TAG_ORDER.get(tag, 9), (Decimal(raw) if tag == "n" else raw)


def _comparator(order_by: tuple[str, ...]):
    keys = [(_key_name(key), key.startswith("-")) for key in order_by]

    def compare(a: tuple[int, dict], b: tuple[int, dict]) -> int:
        for name, descending in keys:
            left, right = _decoded(a[1].get(name)), _decoded(b[1].get(name))
            if left == right:
                continue
            if left is None or right is None:               # missing values last, either way
                return 1 if left is None else -1
            result = (left > right) - (left < right)
            return -result if descending else result
        return (a[0] > b[0]) - (a[0] < b[0])               # the case id: insertion order
    return compare


# -- the service of a case -----------------------------------------------------------
def _catalogue(catalogue: Any) -> Any:
    if catalogue is not None:
        return catalogue
    from .state import runtime_state
    return runtime_state().catalogue


def _effective_for(session: Session, submission: Submission, catalogue: Any) -> Any:
    row = session.get(ServiceVersion, submission.service_version_id)
    if row is None:
        return None
    return _catalogue(catalogue).effective(submission.municipality_id, row.service_id)


def _reevaluate(effective: Any, submission: Submission) -> Any:
    from builder.engine import Context, evaluate

    when = submission.submitted_at or dt.datetime.now(dt.timezone.utc)
    return evaluate(effective, submission.answers or {}, Context(today=when.date()))
