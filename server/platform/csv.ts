/**
 * RFC 4180 CSV, safe to open in a spreadsheet. A cell that a spreadsheet would read as a formula
 * (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`: a name someone typed must not run in the
 * reader's spreadsheet. Numbers are written as they are (a negative number is data, not a formula).
 */
export function csvCell(value: string | number | null): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Rows of cells as one CSV document, CRLF line ends. */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
