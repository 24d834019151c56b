import {
  deeplyNestedJson, fillPath, listOperations, malformedCases, MALFORMED_PATH_VALUES, sampleValue, unauthenticatedCases, wrongTypeValue, type OpenApiDocument,
} from '../../../scripts/security/openapi-fuzz';

const DOC: OpenApiDocument = {
  paths: {
    '/healthz': { get: {} },
    '/api/clients': {
      get: { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }] },
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object', additionalProperties: false, required: ['name', 'type'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 200 },
                  type: { anyOf: [{ type: 'string', enum: ['key'] }, { type: 'string', enum: ['retail'] }] },
                  phones: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^\\+\\d{8,15}$' } },
                  managerId: { type: 'integer', minimum: 1, nullable: true },
                  notes: { $ref: '#/components/schemas/Notes' },
                },
              },
            },
          },
        },
      },
    },
    '/api/clients/{id}': { delete: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }] } },
    '/api/clients/import': { post: { parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'boolean' } }] } },
  },
  components: { schemas: { Notes: { type: 'string', maxLength: 2000 } } },
};

describe('fuzz cases from an OpenAPI document', () => {
  const ops = listOperations(DOC);
  const op = (key: string) => ops.find((o) => `${o.method} ${o.path}` === key)!;

  it('lists every operation with its path and query parameters and its JSON body', () => {
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /healthz', 'GET /api/clients', 'POST /api/clients', 'DELETE /api/clients/{id}', 'POST /api/clients/import']);
    expect(op('DELETE /api/clients/{id}').pathParams.map((p) => p.name)).toEqual(['id']);
    expect(op('GET /api/clients').queryParams.map((p) => p.name)).toEqual(['limit']);
    expect(op('POST /api/clients').jsonBody?.required).toEqual(['name', 'type']);
    expect(op('POST /api/clients/import').jsonBody).toBeNull();
  });

  it('builds a sample the schema accepts: enums, patterns, minimums, nullable, arrays', () => {
    expect(sampleValue(op('POST /api/clients').jsonBody!)).toEqual({ name: 'fuzz', type: 'key', phones: ['+74951234567'], managerId: 1, notes: 'fuzz' });
    expect(sampleValue({ type: 'string', pattern: '^[a-z]{2}$' })).toBe('en');
    expect(sampleValue({ type: 'string', format: 'date-time' })).toBe('2026-01-05T10:00:00.000Z');
    expect(sampleValue({ type: 'integer', minimum: 5, maximum: 9 })).toBe(5);
    expect(fillPath(op('DELETE /api/clients/{id}'))).toBe('/api/clients/1');
    expect(fillPath(op('DELETE /api/clients/{id}'), { id: '%00' })).toBe('/api/clients/%00');
  });

  it('spoils each path id with every malformed value, the rest of the request well-formed', () => {
    const cases = malformedCases(op('DELETE /api/clients/{id}'), { seed: 1 });
    const pathCases = cases.filter((c) => c.label.startsWith('path id='));
    expect(pathCases.map((c) => c.path)).toEqual(MALFORMED_PATH_VALUES.map((v) => `/api/clients/${v.value}`));
    expect(pathCases.map((c) => c.path)).toEqual(expect.arrayContaining(['/api/clients/abc', '/api/clients/-1', '/api/clients/1.5', '/api/clients/99999999999999999999', '/api/clients/%00', `/api/clients/${'a'.repeat(5000)}`]));
    expect(pathCases.every((c) => c.method === 'DELETE' && c.body === undefined)).toBe(true);
  });

  it('spoils bodies every way: invalid JSON, null, arrays, missing and extra fields, wrong types, 100 kB strings, deep nesting', () => {
    const cases = malformedCases(op('POST /api/clients'), { seed: 1, hugeBytes: 100_000, nestingDepth: 3000 });
    const byLabel = (label: string) => cases.find((c) => c.label === label)!;
    expect(byLabel('invalid JSON text').body).toBe('{"broken": [1, 2');
    expect(byLabel('body null').body).toBe('null');
    expect(JSON.parse(byLabel('body an array of the object').body as string)).toEqual([expect.objectContaining({ name: 'fuzz' })]);
    expect(byLabel('body {} (required fields missing)').body).toBe('{}');
    expect(JSON.parse(byLabel('extra fields').body as string)).toMatchObject({ name: 'fuzz', __fuzz: 'extra' });
    expect(JSON.parse(byLabel('name: wrong type').body as string)).toMatchObject({ name: 12345, type: 'key' });
    expect(JSON.parse(byLabel('phones: wrong type').body as string).phones).toEqual({ not: 'an array' });
    expect(JSON.parse(byLabel('managerId: null').body as string).managerId).toBeNull();
    const huge = JSON.parse(byLabel('every string 100 kB').body as string);
    expect(huge.name).toHaveLength(100_000);
    expect(huge.phones[0]).toHaveLength(100_000);
    expect((byLabel('object nested 3000 deep').body as string).startsWith('{"a":{"a":')).toBe(true);
    expect(cases.some((c) => c.label.endsWith('nested 3000 deep') && c.label !== 'object nested 3000 deep')).toBe(true);
    expect(byLabel('JSON sent as text/plain').headers['content-type']).toBe('text/plain');
    expect(cases.every((c) => c.path === '/api/clients' || c.path.startsWith('/api/clients?'))).toBe(true);
  });

  it('spoils each query parameter and the query string as a whole', () => {
    const labels = malformedCases(op('GET /api/clients'), { seed: 1 }).map((c) => `${c.label} ${c.path.slice(0, 60)}`);
    expect(labels).toEqual(expect.arrayContaining([
      "query limit='abc' /api/clients?limit=abc",
      'query limit=20 digits /api/clients?limit=99999999999999999999',
      "query limit='%00' /api/clients?limit=%00",
      'query limit repeated /api/clients?limit=1&limit=abc&limit=',
      'malformed query string /api/clients?%=&&=%ZZ&a=%E0%A4%A',
    ]));
  });

  it('feeds junk of the usual upload types to a POST without a JSON body', () => {
    const types = malformedCases(op('POST /api/clients/import'), { seed: 1 }).map((c) => c.headers['content-type']);
    expect(types).toEqual(expect.arrayContaining(['application/octet-stream', 'text/csv', 'audio/wav', 'application/json']));
  });

  it('is deterministic: the same seed gives the same cases, another seed other junk', () => {
    const a = malformedCases(op('POST /api/clients/import'), { seed: 7 });
    const b = malformedCases(op('POST /api/clients/import'), { seed: 7 });
    const c = malformedCases(op('POST /api/clients/import'), { seed: 8 });
    expect(a).toEqual(b);
    const junk = (cases: typeof a) => cases.find((x) => x.label === 'junk as application/octet-stream')!.body;
    expect(junk(a)).toEqual(junk(b));
    expect(junk(a)).not.toEqual(junk(c));
  });

  it('calls each operation without credentials, with a made-up token, and with a token in the URL', () => {
    const cases = unauthenticatedCases(op('DELETE /api/clients/{id}'));
    expect(cases.map((c) => [c.label, c.path, c.headers.authorization ?? null])).toEqual([
      ['no credentials', '/api/clients/1', null],
      ['made-up bearer token', '/api/clients/1', expect.stringMatching(/^Bearer /)],
      ['token in the URL', '/api/clients/1?access_token=fuzz&ticket=fuzz', null],
    ]);
  });

  it('gives a value of another type for each schema type, and nests as deep as asked', () => {
    expect(wrongTypeValue({ type: 'string' })).toBe(12345);
    expect(wrongTypeValue({ type: 'integer' })).toBe('not-a-number');
    expect(wrongTypeValue({ type: 'boolean' })).toBe('yes');
    expect(wrongTypeValue({ enum: ['a', 'b'] })).toBe(12345);
    expect(deeplyNestedJson(3)).toBe('{"a":{"a":{"a":1}}}');
    expect(JSON.parse(deeplyNestedJson(5000, '[', ']'))).toBeDefined();
  });
});
