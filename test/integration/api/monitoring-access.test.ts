import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

const TOKEN = 'monitoring-token-of-this-site';

/**
 * /metrics and /readyz's detail (issue 15): public before, with internal error
 * texts. Here the test's own address (127.0.0.1) is outside the monitoring
 * networks, as an operator's PC would be.
 */
describe('operational endpoints for the site\'s monitoring only (real HTTP, Postgres, Redis)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ env: { MONITORING_NETWORKS: '10.99.0.0/16', MONITORING_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/metrics: 403 from elsewhere, the Prometheus text with the monitoring token', async () => {
    const refused = await h.call('GET', '/metrics', { token: null });
    expect(refused.status).toBe(403);
    const allowed = await fetch(`${h.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/switchboard_component_up|process_cpu/);
    // A user's session token is not the monitoring token.
    expect((await h.call('GET', '/metrics', { token: h.tokens.admin })).status).toBe(403);
  });

  it('/readyz: the bare verdict for anyone (load balancers), each component only with the monitoring token', async () => {
    const bare = await h.call('GET', '/readyz', { token: null });
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({ ready: true });
    const detailed = await fetch(`${h.baseUrl}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await detailed.json()) as { ready: boolean; components: Array<{ name: string }> };
    expect(body.ready).toBe(true);
    expect(body.components.map((c) => c.name)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });
});
