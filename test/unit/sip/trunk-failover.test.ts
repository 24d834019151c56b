import { trunkCouldNotCarry } from '../../../src/sip/trunk-failover';

describe('when an outbound call tries the next trunk', () => {
  it.each<[number | null, boolean, string]>([
    [null, true, 'no response at all (transport error)'],
    [408, true, 'request timeout: the trunk did not answer'],
    [500, true, 'server error at the trunk'],
    [502, true, 'bad gateway'],
    [503, true, 'the carrier is overloaded or out of service'],
    [504, true, 'gateway timeout'],
    [404, false, 'the number does not exist: every carrier says so'],
    [480, false, 'the called party is unavailable'],
    [486, false, 'the called party is busy: not rung twice'],
    [487, false, 'cancelled'],
    [603, false, 'declined'],
    [604, false, 'does not exist anywhere'],
  ])('%s → %s (%s)', (status, next) => {
    expect(trunkCouldNotCarry(status)).toBe(next);
  });
});
