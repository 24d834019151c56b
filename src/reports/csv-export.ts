/** What a report cell can hold. */
export type CsvValue = string | number | boolean | null | undefined | readonly (string | number)[];

/**
 * A value as one CSV field (RFC 4180): quoted when it holds a comma, a quote
 * or a line break; null is empty. Text that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return: a client's name
 * or a wrap-up note typed by anyone) gets a leading apostrophe, as OWASP's CSV
 * injection advice says (issue 15); numbers stay numbers.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const raw = Array.isArray(value) ? value.join('; ') : String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: a header line with the column names, then one line per row (CRLF, RFC 4180). */
export function toCsv<T extends { [K in keyof T]: CsvValue }>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
