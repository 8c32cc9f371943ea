"""Municipality overlays: parameter values override defaults, overlay problems
E601-E605, and binding a compiled service to a municipality without recompiling it."""
from __future__ import annotations

from decimal import Decimal

from builder.engine import Context, evaluate
from builder.overlay import bind

from .defs import RIGA, TODAY, codes, load, service

PARAMETERS = """
  fee: {type: money, default: "10.00"}
  cut: {type: percent, default: 50, max: 80}
  rates: {type: table, default: {oak: "1.5", birch: "1.0"}}
  places: {type: options, default: [{value: centre, label: Centrs}]}"""
FEES = """
  lines:
    - {id: base, label: {lv: A, en: A}, amount: "param.fee * lookup(param.rates, 'oak')"}"""
X = service(parameters=PARAMETERS, fees=FEES)


def municipality(mid: str, atvk: str, iso: str, settings: str = "{enabled: true}") -> str:
    return (RIGA.replace("id: riga", f"id: {mid}").replace('"0001000"', f'"{atvk}"')
            .replace("LV-RIX", iso).replace("x: {enabled: true}", f"x: {settings}"))


def test_overlay_values_override_defaults_and_table_rows(tmp_path):
    valmiera = municipality("valmiera", "0054000", "LV-113",
                            '{enabled: true, parameters: {fee: "12.00", rates: {oak: "2"}}}')
    catalogue = load(tmp_path, services={"x": X}, municipalities={"riga": RIGA, "valmiera": valmiera})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    riga, valmiera = catalogue.effective("riga", "x"), catalogue.effective("valmiera", "x")
    assert riga.params["fee"] == Decimal("10.00") and valmiera.params["fee"] == Decimal("12.00")
    assert valmiera.params["rates"] == {"oak": Decimal("2"), "birch": Decimal("1.0")}
    assert valmiera.params["cut"] == Decimal(50)                  # not set: the default
    fee = lambda effective: evaluate(effective, {"name": "A"}, Context(TODAY)).fees.total
    assert (fee(riga), fee(valmiera)) == (Decimal("15.00"), Decimal("24.00"))


def test_a_disabled_or_absent_service_is_not_offered(tmp_path):
    other = municipality("other", "0002000", "LV-002", "{enabled: false}")
    catalogue = load(tmp_path, municipalities={"riga": RIGA, "other": other})
    assert catalogue.effective("other", "x") is None and catalogue.effective("riga", "x") is not None
    assert catalogue.effective("nowhere", "x") is None and catalogue.enabled_services("other") == []


def overlay_codes(tmp_path, settings: str, institutions: str | None = None) -> list[str]:
    riga = municipality("riga", "0001000", "LV-RIX", settings)
    if institutions is not None:
        riga = riga.replace("  council: {name: {lv: Dome, en: Council}}\n", institutions)
    return codes(load(tmp_path, services={"x": X}, municipalities={"riga": riga}).problems)


def test_e601_an_unknown_service(tmp_path):
    assert overlay_codes(tmp_path, "{enabled: true}\n  y: {enabled: true}") == ["E601"]


def test_e602_an_undeclared_parameter(tmp_path):
    assert overlay_codes(tmp_path, "{enabled: true, parameters: {fees: \"1\"}}") == ["E602"]


def test_e603_a_value_of_the_wrong_type_or_out_of_bounds(tmp_path):
    assert overlay_codes(tmp_path, "{enabled: true, parameters: {fee: lots}}") == ["E603"]
    assert overlay_codes(tmp_path / "2", "{enabled: true, parameters: {cut: 90}}") == ["E603"]        # max 80
    assert overlay_codes(tmp_path / "3", "{enabled: true, parameters: {places: [{label: no value}]}}") == ["E603"]


def test_e604_routing_to_an_undefined_institution(tmp_path):
    assert overlay_codes(tmp_path, "{enabled: true, routing: {council: register}}") == ["E604"]
    assert overlay_codes(tmp_path / "2", "{enabled: true}", institutions="") == ["E604"]   # no council at all


def test_e605_two_municipalities_share_an_id_atvk_or_iso(tmp_path):
    twin = municipality("riga", "0002000", "LV-002")
    catalogue = load(tmp_path, municipalities={"riga": RIGA, "riga-copy": twin})
    assert codes(catalogue.problems) == ["E605"] and len(catalogue.municipalities) == 1


def test_binding_shares_the_compiled_service(tmp_path):
    """A service is compiled once; each municipality's binding holds the very same
    compiled objects (fields, expressions), only its own parameter values differ."""
    valmiera = municipality("valmiera", "0054000", "LV-113", '{enabled: true, parameters: {fee: "12.00"}}')
    catalogue = load(tmp_path, services={"x": X}, municipalities={"riga": RIGA, "valmiera": valmiera})
    riga, other = catalogue.effective("riga", "x"), catalogue.effective("valmiera", "x")
    assert riga.service is other.service is catalogue.services["x"]
    assert riga.service.fees.lines[0].amount is other.service.fees.lines[0].amount
    assert catalogue.effective("riga", "x") is riga                    # bound once, then cached
    again = bind(catalogue.services["x"], catalogue.municipalities["riga"])
    assert again.service is riga.service and again.params == riga.params
