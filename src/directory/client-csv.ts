import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError, type ErrorDetail } from '../errors/app-error';
import { tryNormalisePhone } from './phone-number';

export const SUPPORTED_ENCODINGS = ['utf-8', 'windows-1251', 'windows-1250', 'iso-8859-2', 'utf-16le'] as const;
export type CsvEncoding = (typeof SUPPORTED_ENCODINGS)[number];

/** Column names people write in their spreadsheets, mapped to the fields they mean. */
const COLUMN_ALIASES: Record<string, string> = {
  name: 'name', client: 'name', company: 'name',
  type: 'type', client_type: 'type',
  phones: 'phones', phone: 'phones', phone_numbers: 'phones', telephone: 'phones',
  manager: 'manager', manager_id: 'manager', assigned_manager: 'manager',
  region: 'region',
  language: 'language', lang: 'language',
  overdue_debt: 'overdueDebt', overdue: 'overdueDebt',
  credit_limit: 'creditLimit', limit: 'creditLimit',
  balance: 'balance',
  last_order_at: 'lastOrderAt', last_order: 'lastOrderAt', last_order_date: 'lastOrderAt',
  notes: 'notes', note: 'notes', comment: 'notes',
};
const REQUIRED = ['name', 'type', 'phones'];

export interface CsvClientRow {
  line: number;
  name: string;
  type: string;
  phones: string[];
  manager: string | null;
  region: string | null;
  language: string | null;
  overdueDebt: number | null;
  creditLimit: number | null;
  balance: number | null;
  lastOrderAt: string | null;
  notes: string | null;
}

export interface ParsedCsv {
  rows: CsvClientRow[];
  errors: ErrorDetail[];
}

/** Decodes the upload: BOMs honoured, UTF-8 checked strictly so that a cp1251 file is named, not garbled. */
export function decodeCsv(bytes: Buffer, encoding: CsvEncoding | undefined): string {
  if (bytes.length === 0) throw new AppError('BAD_CSV', 'the file is empty');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  const hasUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  if (encoding && encoding !== 'utf-8') return iconv.decode(body, encoding);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('BAD_CSV', 'the file is not UTF-8 text; save it as UTF-8, or name its encoding with ?encoding=windows-1251 (or windows-1250, iso-8859-2, utf-16le)');
  }
}

function parseAmount(raw: string): number | null | 'bad' {
  const text = raw.replace(/[\s\u00a0]/g, '');
  if (text === '') return null;
  const normalised = text.includes('.') ? text.replace(/,/g, '') : text.replace(',', '.');
  const value = Number(normalised);
  return Number.isFinite(value) ? value : 'bad';
}

/** An ISO day, null for an empty cell, or BAD_DATE. */
const BAD_DATE = Symbol('bad date');
function parseDate(raw: string): string | null | typeof BAD_DATE {
  const text = raw.trim();
  if (text === '') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const european = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : european ? [european[3], european[2], european[1]] : [];
  if (!y || !m || !d) return BAD_DATE;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return BAD_DATE;
  return date.toISOString().slice(0, 10);
}

/**
 * Reads a client list: a header row, then one client per row. Returns every
 * good row and every bad one with its line number and reason; it never throws
 * for a bad row, only for a file that cannot be read at all.
 */
export function parseClientCsv(text: string, defaultCountry: string): ParsedCsv {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, bom: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('BAD_CSV', `the file cannot be read as CSV${line ? ` (line ${line})` : ''}: ${(err as Error).message}`, line ? [{ line, message: (err as Error).message }] : []);
  }
  const header = records.shift();
  if (!header) throw new AppError('BAD_CSV', 'the file has no header row');
  const columns = header.record.map((h) => COLUMN_ALIASES[h.toLowerCase().replace(/[\s-]+/g, '_')] ?? null);
  const missing = REQUIRED.filter((field) => !columns.includes(field));
  if (missing.length > 0) {
    throw new AppError('BAD_CSV', `the header lacks column(s): ${missing.join(', ')} (found: ${header.record.join(', ')})`, [{ line: header.info.lines, message: `missing column(s) ${missing.join(', ')}` }]);
  }

  const rows: CsvClientRow[] = [];
  const errors: ErrorDetail[] = [];
  const phoneLines = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const cell = (field: string): string => {
      const index = columns.indexOf(field);
      return index >= 0 ? (record[index] ?? '').trim() : '';
    };
    const problems: string[] = [];
    if (record.length > columns.length) problems.push(`has ${record.length} fields, the header has ${columns.length}`);
    const name = cell('name');
    if (name === '') problems.push('name is empty');
    const type = cell('type').toLowerCase();
    if (type === '') problems.push('type is empty');
    const rawPhones = cell('phones').split(/[|;,]/).map((p) => p.trim()).filter((p) => p !== '');
    if (rawPhones.length === 0) problems.push('no phone number');
    const phones: string[] = [];
    for (const raw of rawPhones) {
      const e164 = tryNormalisePhone(raw, defaultCountry);
      if (!e164) problems.push(`"${raw}" is not a phone number`);
      else if (phones.includes(e164)) problems.push(`${raw} is listed twice`);
      else if (phoneLines.has(e164)) problems.push(`phone ${e164} is already on line ${phoneLines.get(e164)}`);
      else phones.push(e164);
    }
    const amounts: Record<'overdueDebt' | 'creditLimit' | 'balance', number | null> = { overdueDebt: null, creditLimit: null, balance: null };
    for (const field of ['overdueDebt', 'creditLimit', 'balance'] as const) {
      const value = parseAmount(cell(field));
      if (value === 'bad') problems.push(`${field} "${cell(field)}" is not a number`);
      else if (value !== null && value < 0 && field !== 'balance') problems.push(`${field} cannot be negative`);
      else amounts[field] = value;
    }
    const lastOrderAt = parseDate(cell('lastOrderAt'));
    if (lastOrderAt === BAD_DATE) problems.push(`last order date "${cell('lastOrderAt')}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
    const language = cell('language').toLowerCase();
    if (language !== '' && !/^[a-z]{2}$/.test(language)) problems.push(`language "${language}" is not a two-letter code`);

    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    for (const phone of phones) phoneLines.set(phone, line);
    rows.push({
      line, name, type, phones,
      manager: cell('manager') || null,
      region: cell('region') || null,
      language: language || null,
      ...amounts,
      lastOrderAt: lastOrderAt === BAD_DATE ? null : lastOrderAt,
      notes: cell('notes') || null,
    });
  }
  return { rows, errors };
}
