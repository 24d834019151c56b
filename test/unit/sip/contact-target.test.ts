import { contactTarget, type RegisterSource } from '../../../src/sip/contact-target';

/** Devices are rung where they registered from (issue 15): one row per rule. */
describe('where a registered Contact is rung', () => {
  const trunks = new Set(['192.0.2.7', '2001:db8::7']);
  const isTrunk = (a: string): boolean => trunks.has(a);
  const udp = (address: string, port: number): RegisterSource => ({ address, port, transport: 'udp' });

  it.each<[string, string, RegisterSource, ReturnType<typeof contactTarget>]>([
    ['a desk phone: the Contact as sent, at the source', 'sip:op1@10.0.0.5:5060', udp('10.0.0.5', 5060), { kind: 'ok', target: 'sip:op1@10.0.0.5:5060' }],
    ['behind NAT the source port wins (rport)', 'sip:op1@10.0.0.5:5060;line=abc', udp('10.0.0.5', 40312), { kind: 'ok', target: 'sip:op1@10.0.0.5:40312;line=abc' }],
    ['no port in the Contact', 'sip:op1@10.0.0.5', udp('10.0.0.5', 5062), { kind: 'ok', target: 'sip:op1@10.0.0.5:5062' }],
    ['IPv6 source', 'sip:op1@[2001:DB8::5]:5060', udp('2001:db8::5', 5070), { kind: 'ok', target: 'sip:op1@[2001:db8::5]:5070' }],
    ['TCP keeps its listening port', 'sip:op1@10.0.0.5:5060;transport=tcp', { address: '10.0.0.5', port: 51000, transport: 'tcp' }, { kind: 'ok', target: 'sip:op1@10.0.0.5:5060;transport=tcp' }],
    ['a browser over WebSocket: kept as sent', 'sip:k2j4@abc.invalid;transport=ws', { address: '10.0.0.9', port: 51000, transport: 'wss' }, { kind: 'ok', target: 'sip:k2j4@abc.invalid;transport=ws' }],
    ['a premium number at the trunk', 'sip:+79001234567@192.0.2.7:5060', udp('10.0.0.5', 5060), { kind: 'refused', why: 'Contact names a SIP trunk' }],
    ['the trunk, by IPv6', 'sip:+79001234567@[2001:db8::7]', udp('2001:db8::5', 5060), { kind: 'refused', why: 'Contact names a SIP trunk' }],
    ['a REGISTER (spoofed or not) from the trunk itself', 'sip:+79001234567@192.0.2.7:5060', udp('192.0.2.7', 5060), { kind: 'refused', why: 'REGISTER from a SIP trunk address' }],
    ['another host than the source', 'sip:op1@10.0.0.6:5060', udp('10.0.0.5', 5060), { kind: 'refused', why: 'Contact host is not where the REGISTER came from' }],
    ['a DNS name is not the source', 'sip:op1@pbx.example.com', udp('10.0.0.5', 5060), { kind: 'refused', why: 'Contact host is not where the REGISTER came from' }],
    ['maddr could redirect the INVITE', 'sip:op1@10.0.0.5;maddr=192.0.2.8', udp('10.0.0.5', 5060), { kind: 'refused', why: 'Contact with maddr' }],
    ['URI headers', 'sip:op1@10.0.0.5?Route=%3Csip:192.0.2.7%3E', udp('10.0.0.5', 5060), { kind: 'refused', why: 'Contact with URI headers' }],
    ['a WebSocket device naming a UDP contact elsewhere', 'sip:+7900@10.0.0.6:5060', { address: '10.0.0.9', port: 51000, transport: 'ws' }, { kind: 'refused', why: 'a WebSocket device\'s Contact must have transport=ws' }],
    ['a WebSocket contact on another real host', 'sip:x@10.0.0.6;transport=ws', { address: '10.0.0.9', port: 51000, transport: 'ws' }, { kind: 'refused', why: 'Contact host is not where the REGISTER came from' }],
    ['a WebSocket contact at the trunk', 'sip:x@192.0.2.7;transport=ws', { address: '10.0.0.9', port: 51000, transport: 'ws' }, { kind: 'refused', why: 'Contact names a SIP trunk' }],
  ])('%s', (_label, contact, source, expected) => {
    expect(contactTarget(contact, source, isTrunk)).toEqual(expected);
  });
});
