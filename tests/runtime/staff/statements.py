"""camt.053.001.08 bank statements for tests, built from (amount, remittance, bank ref)."""
from __future__ import annotations

from xml.sax.saxutils import escape

IBAN = "LV80BANK0000435195001"


def statement(lines, statement_id="STMT-2026-03-10", debit=None, pending=None) -> bytes:
    entries = [_entry(amount, text, ref) for amount, text, ref in lines]
    if debit:
        entries.append(_entry(debit, "outgoing", "DBIT-1", indicator="DBIT"))
    if pending:
        entries.append(_entry(pending, "not booked yet", "PDNG-1", status="PDNG"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-10T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_id}</Id>
      <Acct><Id><IBAN>{IBAN}</IBAN></Id></Acct>
      {''.join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode("utf-8")


def _entry(amount, text, ref, indicator="CRDT", status="BOOK") -> str:
    return f"""
      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts><Cd>{status}</Cd></Sts>
        <BookgDt><Dt>2026-03-10</Dt></BookgDt><AcctSvcrRef>E-{ref}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs>
          <Amt Ccy="EUR">{amount}</Amt>
          <RltdPties><Dbtr><Pty><Nm>Jānis Bērziņš</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>{escape(text)}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""
