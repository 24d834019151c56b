/**
 * Requests built from an OpenAPI 3 document (GET /docs/json) to attack every
 * operation: without credentials, and with malformed path ids, bodies and
 * query strings. Pure and deterministic: the same document and seed give the
 * same cases, so a finding can be replayed.
 */
import { SeededRandom } from '../../test/helpers/seeded-random';

/** The part of JSON Schema (OpenAPI 3.0 flavour) the generator reads. */
export interface Schema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  $ref?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, OpenApiOperation>>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One operation of the document, with what the generator needs to call it. */
export interface Operation {
  method: string;
  /** The path template as documented: `/api/clients/{id}`. */
  path: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  /** The JSON body schema, when the operation documents one. */
  jsonBody: Schema | null;
}

/** One request to send. `path` is sent as it is (already encoded), query string included. */
export interface FuzzCase {
  operation: string;
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** `METHOD /path` */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export function listOperations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const json = Object.entries(content).find(([type]) => type.includes('json'))?.[1];
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        jsonBody: json ? resolve(doc, json.schema ?? {}) : null,
      });
    }
  }
  return out;
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let i = 0; current.$ref && i < 20; i++) {
    const name = current.$ref.replace(/^#\/components\/schemas\//, '');
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

/** The candidates tried, in order, for a string with a pattern: the first that fits is used. */
const STRING_CANDIDATES = ['fuzz', 'main', 'en', 'ab', 'a1', 'operator', '+74951234567', '1', '2026-01-01', '08:00', 'Europe/Moscow', 'x'];

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  return [];
}

/** A value that the schema accepts as far as a simple reading can tell (the base the malformed cases spoil). */
export function sampleValue(schema: Schema, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return sampleValue(alternatives[0]!, depth + 1);
  if (schema.allOf && schema.allOf.length > 0) {
    return Object.assign({}, ...schema.allOf.map((s) => sampleValue(s, depth + 1)).filter((v) => typeof v === 'object' && v !== null)) as unknown;
  }
  const type = typesOf(schema)[0];
  switch (type) {
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? 1;
      return schema.maximum !== undefined ? Math.min(low, schema.maximum) : low;
    }
    case 'boolean':
      return true;
    case 'string':
      return sampleString(schema);
    case 'array': {
      const item = sampleValue(schema.items ?? {}, depth + 1);
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) out[name] = sampleValue(property, depth + 1);
      return out;
    }
    case 'null':
      return null;
    default:
      return 'fuzz';
  }
}

function sampleString(schema: Schema): string {
  if (schema.format === 'date-time') return '2026-01-05T10:00:00.000Z';
  if (schema.format === 'date') return '2026-01-05';
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  const fits = (s: string): boolean => s.length >= min && s.length <= max && (!schema.pattern || safeRegExp(schema.pattern)?.test(s) !== false);
  const found = STRING_CANDIDATES.find(fits);
  if (found) return found;
  return 'f'.repeat(Math.max(1, Math.min(min, 64)));
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

/** Malformed path values, sent in place of one path parameter. Already encoded for a URL. */
export const MALFORMED_PATH_VALUES: ReadonlyArray<{ label: string; value: string }> = [
  { label: "'abc'", value: 'abc' },
  { label: "'-1'", value: '-1' },
  { label: "'0'", value: '0' },
  { label: "'1.5'", value: '1.5' },
  { label: '20 digits', value: '99999999999999999999' },
  { label: "'1e3'", value: '1e3' },
  { label: "'%00'", value: '%00' },
  { label: 'bad percent-encoding', value: '%E0%A4%A' },
  { label: 'path traversal', value: '..%2F..%2Fetc%2Fpasswd' },
  { label: 'quote and angle brackets', value: "%27%22%3Cx%3E" },
  { label: '5000 characters', value: 'a'.repeat(5000) },
];

/** Malformed query values, sent in place of one query parameter. Already encoded. */
export const MALFORMED_QUERY_VALUES: ReadonlyArray<{ label: string; value: string }> = [
  { label: "'abc'", value: 'abc' },
  { label: "'-1'", value: '-1' },
  { label: '20 digits', value: '99999999999999999999' },
  { label: 'empty', value: '' },
  { label: "'%00'", value: '%00' },
  { label: 'bad percent-encoding', value: '%E0%A4%A' },
  { label: "'2026-13-45T99:99'", value: '2026-13-45T99%3A99' },
  { label: '8000 characters', value: 'q'.repeat(8000) },
];

export interface GenerateOptions {
  seed: number;
  /** Bytes of the huge strings (bodies): 100 kB by default. */
  hugeBytes?: number;
  /** How deep the deeply nested bodies go. */
  nestingDepth?: number;
  /** At most this many properties are spoiled one at a time per body (the rest are covered by the whole-body cases). */
  maxPropertiesPerBody?: number;
}

/** The path with each `{param}` filled: `values[name]` where given, else a sample of its schema. */
export function fillPath(op: Operation, values: Record<string, string> = {}): string {
  return op.path.replace(/\{([^}]+)\}/g, (_all, name: string) => {
    if (values[name] !== undefined) return values[name];
    const param = op.pathParams.find((p) => p.name === name);
    return encodeURIComponent(String(sampleValue(param?.schema ?? { type: 'string' })));
  });
}

function jsonCase(operation: string, label: string, method: string, path: string, body: unknown): FuzzCase {
  return { operation, label, method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function rawCase(operation: string, label: string, method: string, path: string, contentType: string, body: string | Buffer): FuzzCase {
  return { operation, label, method, path, headers: { 'content-type': contentType }, body };
}

/** The request that reaches the operation as a well-formed call would: sample path values and body, no query. */
export function plainCase(op: Operation, label = 'sample request'): FuzzCase {
  const key = operationKey(op.method, op.path);
  const path = fillPath(op);
  return op.jsonBody ? jsonCase(key, label, op.method, path, sampleValue(op.jsonBody)) : { operation: key, label, method: op.method, path, headers: {} };
}

/** A value of a different JSON type than the schema expects. */
export function wrongTypeValue(schema: Schema): unknown {
  const type = typesOf(schema)[0] ?? (schema.enum ? typeof schema.enum[0] : 'string');
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return 'not-an-object';
    default:
      return [1, 'two', { three: 3 }];
  }
}

/** `{"a":{"a":…}}` `depth` levels deep, built as text (no recursion limit of JSON.stringify involved). */
export function deeplyNestedJson(depth: number, open = '{"a":', close = '}', leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

/** Every malformed-input case for one operation (to be sent with valid credentials). */
export function malformedCases(op: Operation, options: GenerateOptions): FuzzCase[] {
  const random = new SeededRandom(options.seed ^ hash(operationKey(op.method, op.path)));
  const huge = 'A'.repeat(options.hugeBytes ?? 100_000);
  const depth = options.nestingDepth ?? 5000;
  const key = operationKey(op.method, op.path);
  const base = plainCase(op);
  const cases: FuzzCase[] = [];

  for (const param of op.pathParams) {
    for (const bad of MALFORMED_PATH_VALUES) {
      cases.push({ ...base, label: `path ${param.name}=${bad.label}`, path: fillPath(op, { [param.name]: bad.value }) });
    }
  }

  const basePath = fillPath(op);
  for (const param of op.queryParams) {
    for (const bad of MALFORMED_QUERY_VALUES) {
      cases.push({ ...base, label: `query ${param.name}=${bad.label}`, path: `${basePath}?${encodeURIComponent(param.name)}=${bad.value}` });
    }
    cases.push({ ...base, label: `query ${param.name} repeated`, path: `${basePath}?${param.name}=1&${param.name}=abc&${param.name}=` });
    cases.push({ ...base, label: `query ${param.name}[]=x`, path: `${basePath}?${param.name}%5B%5D=x&${param.name}%5Bkey%5D=y` });
  }
  cases.push({ ...base, label: 'unknown query parameter', path: `${basePath}?__fuzz=1&constructor=x&__proto__=y` });
  cases.push({ ...base, label: 'malformed query string', path: `${basePath}?%=&&=%ZZ&a=%E0%A4%A` });

  const takesBody = ['POST', 'PUT', 'PATCH'].includes(op.method);
  if (op.jsonBody) {
    const sample = sampleValue(op.jsonBody);
    cases.push(rawCase(key, 'invalid JSON text', op.method, basePath, 'application/json', '{"broken": [1, 2'));
    cases.push(rawCase(key, 'empty JSON body', op.method, basePath, 'application/json', ''));
    cases.push(jsonCase(key, 'body null', op.method, basePath, null));
    cases.push(jsonCase(key, 'body a number', op.method, basePath, 42));
    cases.push(jsonCase(key, 'body a string', op.method, basePath, 'text'));
    cases.push(jsonCase(key, 'body an array of the object', op.method, basePath, [sample]));
    cases.push(jsonCase(key, 'body {} (required fields missing)', op.method, basePath, {}));
    if (isObject(sample)) {
      cases.push(jsonCase(key, 'extra fields', op.method, basePath, { ...sample, __fuzz: 'extra', constructor: { prototype: { polluted: true } } }));
      cases.push(rawCase(key, '__proto__ field', op.method, basePath, 'application/json', JSON.stringify(sample).replace(/^\{/, '{"__proto__":{"admin":true},')));
      const properties = Object.entries(op.jsonBody.properties ?? {});
      const spoiled = pickSome(properties, options.maxPropertiesPerBody ?? 12, random);
      for (const [name, property] of spoiled) {
        cases.push(jsonCase(key, `${name}: wrong type`, op.method, basePath, { ...sample, [name]: wrongTypeValue(property) }));
        cases.push(jsonCase(key, `${name}: null`, op.method, basePath, { ...sample, [name]: null }));
      }
      cases.push(jsonCase(key, 'every string 100 kB', op.method, basePath, mapStrings(sample, () => huge)));
      cases.push(jsonCase(key, 'every string with a NUL character', op.method, basePath, mapStrings(sample, (s) => `${s}\u0000x`)));
      for (const [name] of spoiled.slice(0, 4)) {
        cases.push(rawCase(key, `${name}: nested ${depth} deep`, op.method, basePath, 'application/json', JSON.stringify({ ...sample, [name]: '__NESTED__' }).replace('"__NESTED__"', deeplyNestedJson(depth, '[', ']'))));
      }
    }
    cases.push(rawCase(key, `object nested ${depth} deep`, op.method, basePath, 'application/json', deeplyNestedJson(depth)));
    cases.push(jsonCase(key, 'body a 100 kB string', op.method, basePath, huge));
    cases.push(rawCase(key, 'JSON sent as text/plain', op.method, basePath, 'text/plain', JSON.stringify(sample)));
    cases.push(rawCase(key, 'JSON with a bad charset', op.method, basePath, 'application/json; charset=utf-7', JSON.stringify(sample)));
  } else if (takesBody) {
    // No documented JSON body: a raw upload (CSV, WAV) or none at all. Feed it junk of the usual kinds.
    const junk = Buffer.from(Array.from({ length: 2048 }, () => random.int(0, 255)));
    for (const type of ['application/octet-stream', 'text/csv', 'audio/wav', 'multipart/form-data; boundary=x']) {
      cases.push(rawCase(key, `junk as ${type.split(';')[0]}`, op.method, basePath, type, junk));
    }
    cases.push(rawCase(key, 'text/csv, 100 kB one cell', op.method, basePath, 'text/csv', `name,type\n"${huge}",key\n`));
    cases.push(rawCase(key, 'RIFF header only', op.method, basePath, 'audio/wav', Buffer.from('RIFF\xff\xff\xff\x7fWAVEfmt ', 'latin1')));
    cases.push(rawCase(key, 'invalid JSON text', op.method, basePath, 'application/json', '{"broken": [1, 2'));
    cases.push(jsonCase(key, 'unexpected JSON body', op.method, basePath, { __fuzz: [1, 2, 3] }));
  }
  return cases;
}

/** The cases that check an operation refuses callers without valid credentials: none, and a made-up token. */
export function unauthenticatedCases(op: Operation): FuzzCase[] {
  const base = plainCase(op, 'no credentials');
  return [
    base,
    { ...base, label: 'made-up bearer token', headers: { ...base.headers, authorization: 'Bearer 0000000000000000000000000000000000000000000' } },
    { ...base, label: 'token in the URL', path: `${base.path}${base.path.includes('?') ? '&' : '?'}access_token=fuzz&ticket=fuzz` },
  ];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mapStrings(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, replace)]));
  return value;
}

function pickSome<T>(items: readonly T[], count: number, random: SeededRandom): T[] {
  if (items.length <= count) return [...items];
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count) out.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  return out;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
