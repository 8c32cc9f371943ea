"""The VAT category rules of EN 16931, each family by its official ids: BR-S (standard
rated), BR-Z (zero rated), BR-E (exempt), BR-AE (reverse charge), BR-IC (intra-community
supply, code K), BR-G (export outside the EU), BR-O (not subject to VAT).

Every family has the same ten rules, numbered alike:
  -01 the VAT breakdown (BG-23) has the category (exactly once; S: at least once, and only
      when something is standard rated)
  -02/-03/-04 a line / document allowance / document charge in the category needs the
      seller's (and for some the buyer's) VAT identifiers (BR-O: must not have them)
  -05/-06/-07 the VAT rate of that line / allowance / charge (S: above zero; O: none;
      the others: zero)
  -08 the breakdown's taxable amount (BT-116) is the sum of the category's line net
      amounts and charges minus allowances (S: for each rate, within one unit)
  -09 the breakdown's tax amount (BT-117) (S: taxable x rate within one unit; others: zero)
  -10 the exemption reason (BT-120/121) (S, Z: none; the others: one of them)
plus BR-IC-11/12 (delivery date or period, delivery country) and BR-O-11..14 (an invoice
not subject to VAT has nothing else). Conditions follow CEN's UBL schematron of PEPPOL BIS
Billing 3.0.19; the messages are ours."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .ubl import UblDocument
from .vat_facts import BreakdownRow, Taxed, VatFacts, cents

KIND_TERMS = {  # kind -> (rule number of -02.., Latvian, English, category term, rate term)
    "line": (2, "rēķina rinda", "an Invoice line (BG-25)", "BT-151", "BT-152"),
    "allowance": (3, "dokumenta līmeņa atlaide", "a Document level allowance (BG-20)", "BT-95", "BT-96"),
    "charge": (4, "dokumenta līmeņa uzcenojums", "a Document level charge (BG-21)", "BT-102", "BT-103"),
}


@dataclass(frozen=True)
class Family:
    code: str           # UNCL 5305
    prefix: str         # the rule ids' prefix
    lv: str
    en: str
    rate: str           # "positive" | "zero" | "none"
    exemption: bool     # -10: the breakdown needs an exemption reason (True) or must have none
    seller: str         # "tax_id" | "vat" | "no_vat"
    buyer: str | None   # None | "vat" | "vat_or_legal"


FAMILIES = (
    Family("S", "BR-S", "standarta likme", "Standard rated", "positive", False, "tax_id", None),
    Family("Z", "BR-Z", "nulles likme", "Zero rated", "zero", False, "tax_id", None),
    Family("E", "BR-E", "atbrīvots no PVN", "Exempt from VAT", "zero", True, "tax_id", None),
    Family("AE", "BR-AE", "PVN apgrieztā maksāšana", "VAT reverse charge", "zero", True, "tax_id", "vat_or_legal"),
    Family("K", "BR-IC", "piegāde Eiropas Savienības iekšienē", "Intra-community supply", "zero", True, "vat", "vat"),
    Family("G", "BR-G", "eksports ārpus Eiropas Savienības", "Export outside the EU", "zero", True, "vat", None),
    Family("O", "BR-O", "nav PVN objekts", "Not subject to VAT", "none", True, "no_vat", None),
)


def rule_descriptions() -> dict[str, str]:
    """rule id -> a short English description, for `Reader.rules`."""
    texts = {}
    for f in FAMILIES:
        texts[f"{f.prefix}-01"] = f'"{f.en}" items need their VAT breakdown group (BG-23)'
        for kind, (number, _lv, en, _cat, rate) in KIND_TERMS.items():
            texts[f"{f.prefix}-0{number}"] = f'{en} "{f.en}" needs the VAT identifiers the category requires'
            texts[f"{f.prefix}-0{number + 3}"] = f'{en} "{f.en}": VAT rate ({rate}) as the category requires'
        texts[f"{f.prefix}-08"] = f'"{f.en}" VAT category taxable amount (BT-116) = Σ its lines, charges, allowances'
        texts[f"{f.prefix}-09"] = f'"{f.en}" VAT category tax amount (BT-117)'
        texts[f"{f.prefix}-10"] = f'"{f.en}" VAT exemption reason (BT-120, BT-121)'
    texts |= {"BR-IC-11": "Intra-community supply needs an Actual delivery date (BT-72) or Invoicing period (BG-14)",
              "BR-IC-12": "Intra-community supply needs a Deliver to country code (BT-80)",
              "BR-O-11": '"Not subject to VAT" allows no other VAT breakdown group',
              "BR-O-12": '"Not subject to VAT" allows no line in another VAT category',
              "BR-O-13": '"Not subject to VAT" allows no document allowance in another VAT category',
              "BR-O-14": '"Not subject to VAT" allows no document charge in another VAT category',
              "BR-CO-04": "Each Invoice line shall be categorized with an Invoiced item VAT category code (BT-151)"}
    return texts


def check_vat(doc: UblDocument, facts: VatFacts) -> None:
    for family in FAMILIES:
        _breakdown_present(doc, facts, family)
        for kind in KIND_TERMS:
            _parties(doc, facts, family, kind)
            for item in facts.of(family.code, kind):
                _rate(doc, family, item)
        for row in facts.rows(family.code):
            _taxable(doc, facts, family, row)
            _tax(doc, family, row)
            _exemption(doc, family, row)
    _intra_community(doc, facts)
    _not_subject(doc, facts)
    for item in facts.items:
        if item.kind == "line" and item.category.code is None:
            doc.report("BR-CO-04", f"Rēķina {item.index}. rindai jānorāda PVN kategorijas kods (BT-151) "
                       "elementā cac:ClassifiedTaxCategory ar nodokļu shēmu VAT.",
                       f"Invoice line {item.index} shall have an Invoiced item VAT category code (BT-151): add "
                       "cac:ClassifiedTaxCategory with tax scheme VAT.", None)


def _names(family: Family) -> tuple[str, str]:
    return f"PVN kategorija {family.code} („{family.lv}”)", f'VAT category {family.code} ("{family.en}")'


def _breakdown_present(doc: UblDocument, facts: VatFacts, family: Family) -> None:
    lv, en = _names(family)
    used, rows = facts.of(family.code), facts.rows(family.code)
    if family.code == "S":      # the official BR-S-01 counts S categories of any tax scheme
        used = facts.of("S", any_scheme=True)
        rows = [r for r in facts.breakdown if r.category.any_code == "S"]
        ok = bool(used) == bool(rows)
        wanted_lv, wanted_en = "vismaz vienu", "at least one"
    else:
        ok = not (used or rows) or len(rows) == 1
        wanted_lv, wanted_en = "tieši vienu", "exactly one"
    if ok:
        return
    if used:
        doc.report(f"{family.prefix}-01",
                   f"Rēķinā ir {lv}, tāpēc PVN sadalījumā (BG-23) jābūt {wanted_lv} grupai ar šo kategoriju "
                   f"(BT-118); tagad tādu ir {len(rows)}.",
                   f"The invoice uses {en}, so the VAT breakdown (BG-23) must have {wanted_en} group with that "
                   f"category (BT-118); it has {len(rows)}.", "cac:TaxTotal")
    else:
        doc.report(f"{family.prefix}-01",
                   f"PVN sadalījumā (BG-23) ir {lv}, bet neviena rinda, atlaide vai uzcenojums to neizmanto: "
                   "izņemiet šo grupu vai labojiet rindu PVN kategoriju (BT-151).",
                   f"The VAT breakdown (BG-23) has {en}, but no line, allowance or charge uses it: remove the "
                   "group or correct the lines' VAT category (BT-151).", "cac:TaxTotal")


def _parties(doc: UblDocument, facts: VatFacts, family: Family, kind: str) -> None:
    if not facts.of(family.code, kind):
        return
    number, kind_lv, kind_en, _cat, _rate = KIND_TERMS[kind]
    lv, en = _names(family)
    rule = f"{family.prefix}-0{number}"
    if family.seller == "no_vat":
        if facts.seller_vat or facts.representative_vat or facts.buyer_vat:
            doc.report(rule, f"Ja {kind_lv} ir ar {lv}, rēķinā nedrīkst būt pārdevēja PVN numura (BT-31), "
                       "nodokļu pārstāvja PVN numura (BT-63) un pircēja PVN numura (BT-48): izņemiet tos.",
                       f"When {kind_en} has {en}, the invoice must not have the Seller VAT identifier (BT-31), "
                       "the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48): "
                       "remove them.", None)
        return
    seller = (facts.seller_tax_id if family.seller == "tax_id" else facts.seller_vat) or facts.representative_vat
    if not seller:
        which_lv = "PVN numurs (BT-31) vai nodokļu reģistrācijas numurs (BT-32)" if family.seller == "tax_id" \
            else "PVN numurs (BT-31)"
        which_en = "VAT identifier (BT-31) or tax registration identifier (BT-32)" if family.seller == "tax_id" \
            else "VAT identifier (BT-31)"
        doc.report(rule, f"Ja {kind_lv} ir ar {lv}, jānorāda pārdevēja {which_lv} vai nodokļu pārstāvja PVN "
                   "numurs (BT-63), cac:PartyTaxScheme/cbc:CompanyID.",
                   f"When {kind_en} has {en}, the Seller {which_en} or the Seller tax representative VAT "
                   "identifier (BT-63) must be given, in cac:PartyTaxScheme/cbc:CompanyID.", None)
    buyer = {None: True, "vat": facts.buyer_vat, "vat_or_legal": facts.buyer_vat or facts.buyer_legal_id}[family.buyer]
    if not buyer:
        which_lv, which_en = ("PVN numurs (BT-48)", "VAT identifier (BT-48)") if family.buyer == "vat" else \
            ("PVN numurs (BT-48) vai reģistrācijas numurs (BT-47)", "VAT identifier (BT-48) or legal registration "
             "identifier (BT-47)")
        doc.report(rule, f"Ja {kind_lv} ir ar {lv}, jānorāda pircēja {which_lv}.",
                   f"When {kind_en} has {en}, the Buyer {which_en} must be given.", None)


def _rate(doc: UblDocument, family: Family, item: Taxed) -> None:
    number, kind_lv, kind_en, _cat, rate_term = KIND_TERMS[item.kind]
    lv, en = _names(family)
    rate = item.category.rate
    if family.rate == "none":
        ok, want_lv, want_en = not item.category.has_rate, "nedrīkst norādīt PVN likmi", "must not have a VAT rate"
    elif family.rate == "zero":
        ok, want_lv, want_en = rate is not None and rate == 0, "PVN likmei jābūt 0", "the VAT rate must be 0"
    else:
        ok, want_lv, want_en = rate is not None and rate > 0, "PVN likmei jābūt lielākai par 0", \
            "the VAT rate must be above 0"
    if not ok:
        doc.report(f"{family.prefix}-0{number + 3}",
                   f"{item.index}. {kind_lv} ar {lv}: {want_lv} ({rate_term}); norādīts: {_shown(item.category)}.",
                   f"{kind_en[0].upper()}{kind_en[1:]} number {item.index} with {en}: {want_en} ({rate_term}); "
                   f"it is {_shown(item.category)}.", item.where[len(doc.path('')) + 1:])


def _shown(category) -> str:
    return str(category.rate) if category.has_rate and category.rate is not None else "—"


def _taxable(doc: UblDocument, facts: VatFacts, family: Family, row: BreakdownRow) -> None:
    if row.taxable is None:
        return
    same = [i for i in facts.of(family.code, any_scheme=True)
            if family.code != "S" or (i.category.rate is not None and i.category.rate == row.category.rate)]
    if None in (i.amount for i in same) or (family.code == "S" and row.category.rate is None):
        return
    total = sum((-i.amount if i.kind == "allowance" else i.amount for i in same), Decimal(0))
    if family.code == "S":   # the official rule allows less than one unit either way
        ok = bool(same) and abs(row.taxable - total) < 1
    else:
        ok = any(i.kind == "line" for i in facts.items) and row.taxable == total
    if not ok:
        lv, en = _names(family)
        rate = f" {row.category.rate} %" if family.code == "S" else ""
        doc.report(f"{family.prefix}-08",
                   f"{lv}{rate}: ar nodokli apliekamajai summai (BT-116) jābūt rindu neto summu (BT-131) un "
                   f"uzcenojumu (BT-99) summai mīnus atlaides (BT-92) šajā kategorijā: norādīts {row.taxable}, "
                   f"aprēķināts {_money(total)}.",
                   f"{en}{rate}: the VAT category taxable amount (BT-116) must be the sum of the category's line net "
                   f"amounts (BT-131) plus charges (BT-99) minus allowances (BT-92): the document says {row.taxable}, "
                   f"the calculation gives {_money(total)}.", f"{_relative(doc, row.where)}/cbc:TaxableAmount")


def _money(value: Decimal) -> str:
    return f"{value:.2f}" if value.as_tuple().exponent > -2 else f"{value:f}"


def _tax(doc: UblDocument, family: Family, row: BreakdownRow) -> None:
    if row.tax is None:
        return
    lv, en = _names(family)
    if family.code == "S":
        if row.taxable is None or row.category.rate is None:
            return
        expected = cents(abs(row.taxable) * row.category.rate / 100)
        ok = abs(abs(row.tax) - expected) < 1
    else:
        expected, ok = Decimal("0.00"), row.tax == 0
    if not ok:
        doc.report(f"{family.prefix}-09",
                   f"{lv}: nodokļa summai (BT-117) jābūt {expected} (ar nodokli apliekamā summa × likme), nevis "
                   f"{row.tax}.",
                   f"{en}: the VAT category tax amount (BT-117) must be {expected} (taxable amount x rate), not "
                   f"{row.tax}.", f"{_relative(doc, row.where)}/cbc:TaxAmount")


def _exemption(doc: UblDocument, family: Family, row: BreakdownRow) -> None:
    if row.exemption == family.exemption:
        return
    lv, en = _names(family)
    where = f"{_relative(doc, row.where)}/cac:TaxCategory"
    if family.exemption:
        doc.report(f"{family.prefix}-10", f"{lv}: PVN sadalījumā jānorāda atbrīvojuma iemesls (BT-120) vai tā kods "
                   "(BT-121, piemēram, VATEX-EU-...).",
                   f"{en}: the VAT breakdown needs a VAT exemption reason text (BT-120) or code (BT-121, e.g. "
                   "VATEX-EU-...).", where)
    else:
        doc.report(f"{family.prefix}-10", f"{lv}: PVN sadalījumā nedrīkst būt atbrīvojuma iemesla (BT-120, BT-121); "
                   "izņemiet to.", f"{en}: the VAT breakdown must not have a VAT exemption reason (BT-120, BT-121); "
                   "remove it.", where)


def _relative(doc: UblDocument, where: str) -> str:
    return where[len(doc.path("")) + 1:]


def _intra_community(doc: UblDocument, facts: VatFacts) -> None:
    if not facts.rows("K"):
        return
    period = doc.node("cac:InvoicePeriod")
    if len(doc.text("cac:Delivery/cbc:ActualDeliveryDate") or "") <= 1 and (period is None or len(period) == 0):
        doc.report("BR-IC-11", "Piegādei Eiropas Savienības iekšienē (K) jānorāda faktiskais piegādes datums (BT-72) "
                   "vai rēķina periods (BG-14).", "An intra-community supply (K) needs the Actual delivery date "
                   "(BT-72) or the Invoicing period (BG-14).", "cac:Delivery")
    if len(doc.text("cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode") or "") <= 1:
        doc.report("BR-IC-12", "Piegādei Eiropas Savienības iekšienē (K) jānorāda piegādes valsts kods (BT-80).",
                   "An intra-community supply (K) needs the Deliver to country code (BT-80).", "cac:Delivery")


def _not_subject(doc: UblDocument, facts: VatFacts) -> None:
    if not facts.rows("O"):
        return
    if any(r.category.code != "O" for r in facts.breakdown):
        doc.report("BR-O-11", "Ja PVN sadalījumā ir kategorija O („nav PVN objekts”), citu PVN grupu tajā nedrīkst "
                   "būt.", 'When the VAT breakdown has category O ("Not subject to VAT"), it must have no other '
                   "VAT breakdown group.", "cac:TaxTotal")
    for number, kind in ((12, "line"), (13, "allowance"), (14, "charge")):
        others = [i for i in facts.items if i.kind == kind and i.category.code not in ("O", None)]
        if others:
            _n, kind_lv, kind_en, cat, _rate = KIND_TERMS[kind]
            doc.report(f"BR-O-{number}", f"Rēķinā ar PVN kategoriju O ({kind_lv}: {others[0].index}.) nedrīkst būt "
                       f"citas PVN kategorijas ({cat}): norādīta {others[0].category.code}.",
                       f'An invoice with VAT category O ("Not subject to VAT") must not have {kind_en} in another '
                       f"category ({cat}): number {others[0].index} has {others[0].category.code}.",
                       _relative(doc, others[0].where))
