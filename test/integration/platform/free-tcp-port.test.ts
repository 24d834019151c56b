import dgram from 'node:dgram';
import { freeTcpPort } from '../../../src/platform/managed-process';

/**
 * The fresh-clone CI run failed a whole e2e file on start-up because two
 * freeTcpPort() calls in a row returned the same port (the system's WSS and
 * TLS SIP ports: "must differ; got 46727, 44069, 44069"). The OS hands a
 * closed listener's port out again at random, so in one process the helper
 * must never give the same port twice.
 */
describe('freeTcpPort', () => {
  it('never hands out the same port twice in one process, so the ports a test asks for one after another always differ', async () => {
    const handedOut: number[] = [];
    for (let i = 0; i < 2000; i += 1) handedOut.push(await freeTcpPort());
    const repeated = handedOut.filter((port, index) => handedOut.indexOf(port) !== index);
    expect(repeated).toEqual([]);
    for (const port of handedOut) expect(port).toBeGreaterThan(0);
  }, 60_000);
});

describe('freeTcpPort and UDP', () => {
  it('hands out a port no UDP socket holds either: SIP phones (sipp) bind it for UDP, and rtpengines hold thousands of UDP ports in the same range', async () => {
    // Other processes' UDP media ports, as parallel test files' rtpengines and browsers hold them.
    const held = await Promise.all(Array.from({ length: 2000 }, () => new Promise<dgram.Socket>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => resolve(socket));
    })));
    try {
      const heldPorts = new Set(held.map((s) => s.address().port));
      const handedOut: number[] = [];
      for (let i = 0; i < 500; i += 1) handedOut.push(await freeTcpPort());
      expect(handedOut.filter((port) => heldPorts.has(port))).toEqual([]);
    } finally {
      await Promise.all(held.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
  }, 60_000);
});
