"""Bank statements in ISO 20022 camt.053 (BankToCustomerStatement), any version
(001.02 to 001.13: the element names used here are the same in all of them), read
safely: through `builder.documents.xmlsafe` (no DTD, no entities, no network, a size
limit).

Only credits that the bank has booked count (`CdtDbtInd` CRDT, status BOOK or, from
version 001.09, `Sts/Cd` BOOK). One line is one transaction (`NtryDtls/TxDtls`), or the
entry itself when it has no details; its key (the bank's reference, else the entry's,
with the statement id and position) makes importing the same statement twice a no-op.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from builder.documents.xmlsafe import Refused, parse

MAX_BYTES = 20 * 1024 * 1024
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."


class StatementRefused(ValueError):
    """Not a camt.053 statement this platform can read; the message says why."""


@dataclass(frozen=True)
class StatementLine:
    key: str
    amount: Decimal
    currency: str
    booked_on: date | None
    remittance: str            # unstructured lines and structured creditor references, joined
    debtor: str


@dataclass(frozen=True)
class Statement:
    id: str
    iban: str
    lines: list[StatementLine]


def parse_statement(data: bytes) -> Statement:
    try:
        root = parse(data, MAX_BYTES)
    except Refused as refused:
        raise StatementRefused(refused.problem.message.get("en") or refused.problem.rule_id) from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not namespace.startswith(NAMESPACE_PREFIX):
        raise StatementRefused("the file is not an ISO 20022 camt.053 bank statement")
    ns = {"c": namespace}
    lines: list[StatementLine] = []
    statement_ids = []
    for statement in root.iterfind("c:BkToCstmrStmt/c:Stmt", ns):
        statement_id = statement.findtext("c:Id", "", ns).strip()
        statement_ids.append(statement_id)
        iban = statement.findtext("c:Acct/c:Id/c:IBAN", "", ns).strip()
        for number, entry in enumerate(statement.iterfind("c:Ntry", ns), start=1):
            lines.extend(_entry_lines(entry, ns, f"{statement_id}/{number}"))
    if not statement_ids:
        raise StatementRefused("the file holds no statement (BkToCstmrStmt/Stmt)")
    return Statement(id=", ".join(statement_ids), iban=iban, lines=lines)


def _entry_lines(entry, ns: dict, position: str) -> list[StatementLine]:
    if entry.findtext("c:CdtDbtInd", "", ns).strip() != "CRDT":
        return []
    status = (entry.findtext("c:Sts/c:Cd", None, ns) or entry.findtext("c:Sts", "", ns)).strip()
    if status != "BOOK":
        return []
    booked = _date(entry.findtext("c:BookgDt/c:Dt", None, ns) or entry.findtext("c:BookgDt/c:DtTm", "", ns)[:10])
    entry_ref = (entry.findtext("c:AcctSvcrRef", "", ns) or entry.findtext("c:NtryRef", "", ns)).strip()
    details = entry.findall("c:NtryDtls/c:TxDtls", ns)
    if not details:
        amount, currency = _amount(entry.find("c:Amt", ns))
        return [StatementLine(entry_ref or position, amount, currency, booked, _remittance(entry, ns),
                              _debtor(entry, ns))]
    found = []
    for index, detail in enumerate(details, start=1):
        amount, currency = _amount(detail.find("c:Amt", ns) if detail.find("c:Amt", ns) is not None
                                   else entry.find("c:Amt", ns))
        reference = detail.findtext("c:Refs/c:AcctSvcrRef", "", ns).strip()
        key = reference or f"{entry_ref or position}/{index}"
        found.append(StatementLine(key, amount, currency, booked, _remittance(detail, ns), _debtor(detail, ns)))
    return found


def _amount(element) -> tuple[Decimal, str]:
    if element is None:
        raise StatementRefused("an entry has no amount (Amt)")
    try:
        amount = Decimal((element.text or "").strip())
    except InvalidOperation:
        raise StatementRefused(f"an amount is not a number: {element.text!r}") from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise StatementRefused(f"an amount is not a positive sum in cents: {element.text!r}")
    return amount, element.get("Ccy", "")


def _remittance(element, ns: dict) -> str:
    parts = [text.strip() for text in element.xpath(".//c:RmtInf/c:Ustrd/text()", namespaces=ns)]
    parts += [text.strip() for text in element.xpath(".//c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref/text()", namespaces=ns)]
    return " ".join(part for part in parts if part)[:1000]


def _debtor(element, ns: dict) -> str:
    names = element.xpath(".//c:RltdPties/c:Dbtr/c:Nm/text() | .//c:RltdPties/c:Dbtr/c:Pty/c:Nm/text()",
                          namespaces=ns)
    return (names[0].strip() if names else "")[:200]


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
