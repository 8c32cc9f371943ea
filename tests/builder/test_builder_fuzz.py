"""Property-based tests: whatever text or structure reaches the builder, it only ever
returns problems, never raises. Mutations start from the example service, so they pass
the schema often and exercise the semantic checks and the compiler behind it."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.catalogue import load_catalogue
from builder.compiler import compile_text
from builder.problems import CODES, Problems
from builder.yamlload import load_text

from .defs import RIGA, SPECIES, write_layout

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "definitions/services/example-pet-registration.yaml").read_text(encoding="utf-8")
EXAMPLE_DATA = load_text(EXAMPLE, "example.yaml", Problems()).data
CODELISTS = load_catalogue(ROOT / "definitions").codelists
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _Dumper(yaml.SafeDumper):
    """Dumps the loader's exact Decimals as plain numbers, so mutations keep their types."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def compile_only_problems(text: str):
    problems = Problems()
    service = compile_text(text, "services/x.yaml", problems, CODELISTS)
    assert all(p.code in CODES for p in problems)
    assert service is not None or problems.has_errors, "no service and no error to say why"
    return service, problems


# -- arbitrary input ---------------------------------------------------------------
@FUZZ
@given(st.text())
def test_arbitrary_text_gives_only_problems(text):
    compile_only_problems(text)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.text(max_size=8),
                    st.sampled_from(["today()", "param.fee", "1.5", "item.x", "a ==", "dog", "x"]))
yamlish = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=20)
SECTIONS = ["format", "service", "parameters", "choices", "fields", "computed", "lookups", "pages", "declaration",
            "rules", "fees", "routing", "process", "documents", "queue", "tests"]


@FUZZ
@given(st.dictionaries(st.sampled_from(SECTIONS), yamlish, max_size=8))
def test_arbitrary_structures_give_only_problems(data):
    compile_only_problems(dump(data))


# -- mutations of the example service ----------------------------------------------
def _paths(node, prefix=()):
    """Every path into `node` (mapping keys and list indexes)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


ALL_PATHS = [p for p in _paths(EXAMPLE_DATA) if p]


def _value(path):
    node = EXAMPLE_DATA
    for key in path:
        node = node[key]
    return node


# Type-preserving mutations pass the schema more often and so reach the semantic checks.
STRING_PATHS = [p for p in ALL_PATHS if isinstance(_value(p), str)]
STRINGS = sorted({_value(p) for p in STRING_PATHS} | {str(k) for p in ALL_PATHS for k in p if isinstance(k, str)})
NUMBER_PATHS = [p for p in ALL_PATHS if isinstance(_value(p), (int, Decimal)) and not isinstance(_value(p), bool)]
KEY_PATHS = [p for p in ALL_PATHS if isinstance(p[-1], str)]
EXPRESSIONS = [
    "today()", "item.species", "pet_count > 3", "param.fee_per_pet", "owner.email != null", "size(pets)",
    "'tag' in extras", "months_between(item.birth_date, today())", "true", "1 / 0", "index", "fee_total"]
NEW_VALUES = st.one_of(scalars, st.sampled_from(EXPRESSIONS), st.just([]), st.just({}),
                       st.just({"type": "repeat"}), st.just({"type": "group", "fields": {}}))


def _parent(data, path):
    node = data
    for key in path[:-1]:
        node = node[key]
    return node


def delete(data, path):
    parent = _parent(data, path)
    del parent[path[-1]]


def replace(data, path, value):
    _parent(data, path)[path[-1]] = value


def rename(data, path, new):
    parent = _parent(data, path)
    if isinstance(parent, dict) and new not in parent:
        parent[new] = parent.pop(path[-1])


def duplicate(data, path):
    parent = _parent(data, path)
    if isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))


def swap(data, path, other):
    a, b = _parent(data, path), _parent(data, other)
    a[path[-1]], b[other[-1]] = copy.deepcopy(b[other[-1]]), copy.deepcopy(a[path[-1]])


mutation = st.one_of(
    st.tuples(st.just(replace), st.sampled_from(STRING_PATHS), st.sampled_from(STRINGS)),
    st.tuples(st.just(replace), st.sampled_from(NUMBER_PATHS), st.integers(-3, 200)),
    st.tuples(st.just(rename), st.sampled_from(KEY_PATHS), st.sampled_from(STRINGS)),
    st.tuples(st.just(delete), st.sampled_from(ALL_PATHS)),
    st.tuples(st.just(replace), st.sampled_from(ALL_PATHS), NEW_VALUES),
    st.tuples(st.just(rename), st.sampled_from(ALL_PATHS),
              st.sampled_from(["pets", "owner", "item", "param", "x_1", "pet_count", "company"])),
    st.tuples(st.just(duplicate), st.sampled_from(ALL_PATHS)),
    st.tuples(st.just(swap), st.sampled_from(ALL_PATHS), st.sampled_from(ALL_PATHS)),
)


def mutate(steps) -> dict:
    data = copy.deepcopy(EXAMPLE_DATA)
    for operation, path, *args in steps:
        try:
            operation(data, path, *args)
        except (KeyError, IndexError, TypeError):
            pass            # an earlier step removed what this one names: skip it
    return data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=3))
def test_mutated_example_gives_only_problems(steps):
    compile_only_problems(dump(mutate(steps)))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(mutation, min_size=1, max_size=2), yamlish, yamlish)
def test_catalogue_with_mutated_files_gives_only_problems(tmp_path_factory, steps, overlay, codelist):
    root = tmp_path_factory.mktemp("defs")
    riga = load_text(RIGA, "riga.yaml", Problems()).data
    riga["services"]["example-pet-registration"] = overlay
    write_layout(root, services={"x": dump(mutate(steps))},
                 municipalities={"riga": dump(riga), "other": dump(overlay)},
                 codelists={"species": SPECIES, "animal-species": dump(codelist)})
    catalogue = load_catalogue(root)
    assert all(p.code in CODES for p in catalogue.problems)


def test_the_unmutated_example_compiles():
    """The mutation tests start from a service that compiles: a crash is the mutation's."""
    service, problems = compile_only_problems(dump(EXAMPLE_DATA))
    assert not problems.has_errors, [p.format() for p in problems]
