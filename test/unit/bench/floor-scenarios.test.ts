import { DIGIT_BRANCHES, floorAgentScenario, floorCallerScenario } from '../../../bench/floor/floor-scenarios';
import { dtmfPcap } from '../../../test/helpers/sipp-scenario';

describe('floor sipp scenarios', () => {
  const caller = floorCallerScenario('/tmp/caller.pcap');
  const agent = floorAgentScenario('/tmp/agent.pcap');

  it('the caller waits for its due time, logs the INVITE it then sends, and has a branch pressing each digit string the plan draws', () => {
    expect(caller.indexOf('<pause variable="due"/>')).toBeLessThan(caller.indexOf('invite;[timestamp];[call_id];[field0]'));
    expect(caller.indexOf('invite;[timestamp]')).toBeLessThan(caller.indexOf('INVITE sip:hotline@'));
    expect(caller).toContain('From: "Caller" <sip:[field1]@');
    for (const digits of DIGIT_BRANCHES) {
      const branch = caller.slice(caller.indexOf(`<label id="k${digits}"/>`));
      const pressed = branch.slice(0, branch.indexOf('<nop next="talk"/>'));
      expect([...pressed.matchAll(/play_pcap_audio="([^"]+)"/g)].map((m) => m[1])).toEqual([...digits].map(dtmfPcap));
    }
  });

  it('the caller plays its tone, then either waits for the BYE or gives up after its patience', () => {
    const talk = caller.slice(caller.indexOf('<label id="talk"/>'));
    expect(talk).toContain('play_pcap_audio="/tmp/caller.pcap"');
    expect(talk.indexOf('<nop next="giveup" test="impatient"/>')).toBeLessThan(talk.indexOf('<recv request="BYE"'));
    const giveUp = talk.slice(talk.indexOf('<label id="giveup"/>'));
    expect(giveUp.indexOf('<pause variable="patience"/>')).toBeLessThan(giveUp.indexOf('BYE [next_url]'));
  });

  it('the agent phone logs the INVITE with Switchboard\'s call id, rings, answers, plays its tone, talks, and hangs up', () => {
    const order = ['X-Switchboard-Call-Id:', 'invite;[timestamp];[$sb_call]', '180 Ringing', '<pause variable="ring"/>', 'SIP/2.0 200 OK', 'play_pcap_audio="/tmp/agent.pcap"', '<pause variable="talk"/>', 'BYE [$remote_contact]'];
    const positions = order.map((needle) => agent.indexOf(needle));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
