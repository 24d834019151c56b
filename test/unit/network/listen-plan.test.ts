import { listenPlan } from '../../../src/network/listen-plan';

const OFFICE_PC = { hostName: 'sb1', addresses: ['10.1.2.3', 'fd00::3'], primary: '10.1.2.3' };
const NO_NETWORK = { hostName: 'sb1', addresses: [], primary: null };

describe('where Switchboard listens (issue 15: development stays on this machine unless told otherwise)', () => {
  it('a development start with nothing configured listens on loopback only and says how to open it', () => {
    const plan = listenPlan({ mode: 'development', httpHost: null, publicAddress: null }, OFFICE_PC);
    expect(plan).toMatchObject({ httpHost: '127.0.0.1', publicAddress: '127.0.0.1' });
    expect(plan.loopbackOnly).toMatch(/development start listens on 127\.0\.0\.1.*PUBLIC_ADDRESS=auto/);
  });

  it('a development start told an address, `auto` or a network HOST serves the office', () => {
    expect(listenPlan({ mode: 'development', httpHost: null, publicAddress: 'auto' }, OFFICE_PC)).toEqual({ httpHost: '0.0.0.0', publicAddress: '10.1.2.3', loopbackOnly: null });
    expect(listenPlan({ mode: 'development', httpHost: null, publicAddress: '10.9.9.9' }, OFFICE_PC)).toEqual({ httpHost: '0.0.0.0', publicAddress: '10.9.9.9', loopbackOnly: null });
    expect(listenPlan({ mode: 'development', httpHost: '0.0.0.0', publicAddress: null }, OFFICE_PC)).toEqual({ httpHost: '0.0.0.0', publicAddress: '10.1.2.3', loopbackOnly: null });
    // HOST=127.0.0.1 is not "otherwise".
    expect(listenPlan({ mode: 'development', httpHost: '127.0.0.1', publicAddress: null }, OFFICE_PC).publicAddress).toBe('127.0.0.1');
  });

  it('production serves the network by default, and warns when the machine has no address but loopback', () => {
    expect(listenPlan({ mode: 'production', httpHost: null, publicAddress: null }, OFFICE_PC)).toEqual({ httpHost: '0.0.0.0', publicAddress: '10.1.2.3', loopbackOnly: null });
    expect(listenPlan({ mode: 'production', httpHost: null, publicAddress: null }, NO_NETWORK).loopbackOnly).toMatch(/no other network address was found/);
  });
});
