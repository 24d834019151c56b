import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { checkResponseContracts, jsonDifferences } from '../../src/api/response-contract-check';

describe('the response contract check (tests only)', () => {
  it('names what a response schema drops, adds or changes', () => {
    expect(jsonDifferences({ a: 1, b: { c: 'x', d: [1, 2] } }, { a: 1, b: { c: 'x', d: [1, 2] } })).toEqual([]);
    expect(jsonDifferences({ a: 1.5, b: { c: 'x', gone: true } }, { a: 1, b: { c: 'x' } })).toEqual(['a (1.5 sent, 1 written)', 'b.gone (dropped)']);
    expect(jsonDifferences({ items: [{ id: 1, name: 'n' }] }, { items: [{ id: 1 }] })).toEqual(['items[0].name (dropped)']);
    expect(jsonDifferences({ s: null }, { s: '' })).toEqual(['s (null sent, "" written)']);
  });

  it('turns a field the schema does not declare into a 500 naming it, and leaves a matching answer alone', async () => {
    const app = Fastify();
    checkResponseContracts(app);
    app.setErrorHandler((err, _request, reply) => reply.code(500).send({ message: err instanceof Error ? err.message : String(err) }));
    const Body = Type.Object({ id: Type.Integer(), name: Type.String() });
    app.get('/drift', { schema: { response: { 200: Body } } }, () => ({ id: 1, name: 'a', extra: 'lost' }));
    app.get('/fine', { schema: { response: { 200: Body } } }, () => ({ id: 1, name: 'a' }));
    app.get('/text', { schema: { response: { 200: Type.String() } } }, (_request, reply) => reply.type('text/csv').send('a,b\n'));
    try {
      // Real HTTP on a loopback port: fastify's inject() does not load under jest.
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const drift = await fetch(`${base}/drift`);
      expect(drift.status).toBe(500);
      const { message } = (await drift.json()) as { message: string };
      expect(message).toContain('GET /drift');
      expect(message).toContain('extra (dropped)');
      const fine = await fetch(`${base}/fine`);
      expect(fine.status).toBe(200);
      expect(await fine.json()).toEqual({ id: 1, name: 'a' });
      expect(await (await fetch(`${base}/text`)).text()).toBe('a,b\n');
    } finally {
      await app.close();
    }
  });
});
