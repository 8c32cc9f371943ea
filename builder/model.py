"""The compiled, immutable model of a service: what the runtime, the publishers and the
definition tests use. Nothing here knows about YAML positions or problems; the compiler
produces these objects only from a definition that passed every check.

Collections are tuples and read-only mappings so that a compiled service can be shared
by every municipality and every request without copying or locking.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterator, Mapping

if TYPE_CHECKING:  # the expression classes are only annotations here
    from .expressions import Expression as CompiledExpression, Template as CompiledTemplate
    from .messagetext import MessageText

from .fieldtypes import FieldType, field_type
from .model_flow import (  # noqa: F401  (re-exported: the model's names stay importable from here)
    RouteRule, Routing, State, Transition, InformationRequests, Process, Document, Queue, PAUSED, CONTINUES,
)
from .model_municipality import (  # noqa: F401  (re-exported likewise)
    Commission, CommissionRemit, Institution, Municipality, ServiceSettings,
)

DEFAULT_LANGUAGE = "lv"
EMPTY: Mapping[str, Any] = MappingProxyType({})


class Text(Mapping[str, str]):
    """A user-facing string in several languages; Latvian first."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | str):
        self._items = {DEFAULT_LANGUAGE: items} if isinstance(items, str) else dict(items)

    def get_for(self, language: str) -> str:
        """The string in `language`, falling back to Latvian, then to any language."""
        found = self._items.get(language) or self._items.get(DEFAULT_LANGUAGE)
        return found if found is not None else next(iter(self._items.values()), "")

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._items.items())))

    def __repr__(self) -> str:
        return f"Text({self._items!r})"

    def __str__(self) -> str:
        return self.get_for(DEFAULT_LANGUAGE)


def frozen_map(items: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class ChoiceOption:
    value: str
    label: Text
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceSource:
    """Where a choice field takes its options: a fixed list, or an `options` parameter
    that each municipality sets (resolved per municipality at evaluation time)."""

    name: str
    options: tuple[ChoiceOption, ...] = ()
    parameter: str | None = None


@dataclass(frozen=True)
class Field:
    name: str
    path: str                      # dotted path from the top, e.g. "owner.surname"
    type: str
    label: Text
    hint: Text | None = None
    required: bool = True
    required_when: CompiledExpression | None = None
    when: CompiledExpression | None = None
    readonly: bool = False
    prefill: str | None = None
    default: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: Text | MessageText | None = None   # MessageText: with {values}
    messages: Mapping[str, "Text | MessageText"] = field(default_factory=lambda: EMPTY, hash=False)   # own words per check
    normalise: CompiledExpression | None = None   # text: over `value`, applied as the answer is read
    minimum: CompiledExpression | None = None     # number, money, date
    maximum: CompiledExpression | None = None
    decimals: int | None = None
    unit: Text | None = None
    choices: ChoiceSource | None = None
    choice_filter: CompiledExpression | None = None
    display: str | None = None
    min_items: int | None = None                  # multi_choice selections, repeat entries
    max_items: int | None = None
    accept: tuple[str, ...] = ()
    max_size_mb: Decimal | None = None
    max_files: int | None = None
    document: str | None = None                   # a document reader (builder.documents)
    item_label: Text | None = None
    country: str | None = None
    children: tuple["Field", ...] = ()
    # the field-type registry's entry for `type` (reader, check, bound messages), looked up
    # once when the field is made rather than on every answer the engine reads or checks
    kind: FieldType = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", field_type(self.type))

    @property
    def is_container(self) -> bool:
        return self.type in ("group", "repeat")

    def child(self, name: str) -> "Field | None":
        return next((c for c in self.children if c.name == name), None)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    label: Text | None = None
    minimum: Decimal | None = None     # of the value, or of each row of a table
    maximum: Decimal | None = None
    columns: Mapping[str, str] = field(default_factory=lambda: EMPTY)   # options: each extra column's type


@dataclass(frozen=True)
class Computed:
    name: str
    type: str
    expr: CompiledExpression
    label: Text | None = None
    for_each: str | None = None     # a repeat: computed per entry (item.<name>; a list at the top)


@dataclass(frozen=True)
class Page:
    id: str
    title: Text
    fields: tuple[str, ...]
    when: CompiledExpression | None = None
    intro: Text | None = None
    show: tuple[str, ...] = ()       # computed values shown read-only, with their labels (per entry too)

    @property
    def asks(self) -> bool:
        """Whether the page asks anything: a summary page only shows values."""
        return bool(self.fields)


@dataclass(frozen=True)
class Rule:
    id: str
    check: CompiledExpression
    message: Text | MessageText     # MessageText: with {values}, rendered per evaluation
    severity: str = "error"        # error | warning | stop
    when: CompiledExpression | None = None
    for_each: str | None = None
    fields: tuple[str, ...] = ()    # field paths the message belongs to


@dataclass(frozen=True)
class Exemption:
    id: str
    when: CompiledExpression
    label: Text


@dataclass(frozen=True)
class Reduction:
    id: str
    when: CompiledExpression
    label: Text
    percent: CompiledExpression | None = None
    amount: CompiledExpression | None = None


@dataclass(frozen=True)
class FeeLine:
    id: str
    label: Text
    amount: CompiledExpression
    quantity: CompiledExpression | None = None
    for_each: str | None = None
    when: CompiledExpression | None = None
    exemptions: tuple[Exemption, ...] = ()
    reductions: tuple[Reduction, ...] = ()
    combine: str = "best"          # best | sum | sequential
    vat_percent: CompiledExpression | None = None
    reference: CompiledTemplate | None = None


@dataclass(frozen=True)
class AssessedFee:
    """An amount staff set after the application (`fees.assessed`): the application owes it
    when `when` holds; until a role of `by` sets it, the fee counts as not yet assessed."""
    id: str
    label: Text
    when: CompiledExpression
    by: tuple[str, ...] = ("clerk",)
    reference: CompiledTemplate | None = None


@dataclass(frozen=True)
class Fees:
    currency: str = "EUR"
    lines: tuple[FeeLine, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    reference: CompiledTemplate | None = None
    due: CompiledExpression | None = None     # the date by which a fee is paid, worked out at submission
    assessed: tuple[AssessedFee, ...] = ()


@dataclass(frozen=True)
class TestCase:
    name: str
    context: Mapping[str, Any]
    answers: Mapping[str, Any]
    expect: Mapping[str, Any]
    line: int = 0


@dataclass(frozen=True)
class LegalAct:
    type: str
    title: str
    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    article: str | None = None
    url: str | None = None


# The catalogue's topics, in the order the catalogue lists them (runtime/web/catalogue.py names them)
TOPICS = ("family", "education", "animals", "environment", "building", "business", "transport", "social",
          "culture", "taxes", "other")


@dataclass(frozen=True)
class Lookup:
    """A look-up of an answer in a national register (builder.registers): `lookup.<name>`."""

    name: str
    register: str                   # a builder.registers id
    key: CompiledExpression         # a string: the registration number, cadastral number, ...
    when: CompiledExpression | None = None
    manual: bool = True             # the register not answering: go on and give the details by hand
    fields: tuple[str, ...] = ()    # where its message belongs (default: the key's field)
    fill: Mapping[str, str] = field(default_factory=lambda: EMPTY)   # field path -> member, prefilled when found


@dataclass(frozen=True)
class Price:
    """What the service costs, as the catalogue states it: an amount from the parameters
    (0 = free of charge) and what it is per ("per dog a year")."""

    amount: CompiledExpression
    note: Text | None = None


@dataclass(frozen=True)
class Service:
    id: str
    code: str
    version: str
    title: Text
    summary: Text | None
    audience: tuple[str, ...]
    processing_days: int | None
    result: Text | None
    channels: tuple[str, ...]
    legal_basis: tuple[LegalAct, ...]
    appeal: Text | None
    keywords: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    fields: tuple[Field, ...]
    field_index: Mapping[str, Field]       # every field by dotted path
    computed: tuple[Computed, ...]         # in dependency order
    pages: tuple[Page, ...]
    rules: tuple[Rule, ...]
    fees: Fees
    routing: Routing | None
    process: Process | None
    documents: Mapping[str, Document]
    queue: Queue | None
    tests: tuple[TestCase, ...]
    # `processing_days` given as an expression over the parameters (then processing_days is
    # None): each municipality's catalogue shows its own value (engine.facts)
    processing_days_expr: CompiledExpression | None = None
    price: Price | None = None
    # the check-answers page's declaration: asked unless the definition says `declaration:
    # false`; `declaration_text` is the definition's own wording (None: the built-in one)
    asks_declaration: bool = True
    declaration_text: Text | None = None
    lookups: tuple[Lookup, ...] = ()
    source_path: str = ""
    source_hash: str = ""
    source_text: str = field(default="", repr=False)
    topic: str = "other"                   # the catalogue's group (TOPICS)
    example: bool = False                  # a demonstration, listed only in development
    # the personal_code field naming whom the application is for (`service.subject`):
    # acting for a child, the answer must be that child's code (runtime's check page)
    subject: str | None = None

    def page_of(self, field_path: str) -> Page | None:
        top = field_path.split(".")[0].split("[")[0]
        return self._page_by_field.get(top)

    @cached_property
    def _page_by_field(self) -> dict[str, Page]:
        """The first page that lists each top-level field, worked out once per compiled
        service (on first use), not a scan of the pages per issue. Private: not to be changed."""
        index: dict[str, Page] = {}
        for page in self.pages:
            for name in page.fields:
                index.setdefault(name, page)
        return index
