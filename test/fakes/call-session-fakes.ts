import { EventEmitter } from 'node:events';
import type { Acd, EnqueueRequest, Reservation } from '../../src/acd';
import type { AvailabilityView } from '../../src/acd/availability-view';
import type { CallRecord } from '../../src/calls/call-record';
import type { CallRecordWriter } from '../../src/calls/call-record-writer';
import type { PublishedConfigCache } from '../../src/db/published-config-cache';
import type { CallerLookup, CallerLookupResult } from '../../src/directory/caller-lookup';
import { AppError } from '../../src/errors/app-error';
import { DEFAULT_PROMPTS } from '../../src/ivr/default-prompts';
import type { FlowDocument } from '../../src/ivr/flow-document';
import { createRootLogger } from '../../src/logger';
import type { DtmfListener } from '../../src/media/dtmf-listener';
import { singleMediaEngine, type MediaEngines } from '../../src/media/media-engine';
import type { MediaCallTracker } from '../../src/media/rtpengine-call-sweeper';
import type { NgCommand, NgCommandSender, NgParams, NgReply } from '../../src/media/rtpengine-ng-client';
import { DEFAULT_ROUTING_CONFIG } from '../../src/routing/default-routing-config';
import type { DirectorySnapshot } from '../../src/routing/directory-snapshot';
import type { RoutingConfig } from '../../src/routing/routing-config-schema';
import type { CallServices } from '../../src/sip/call-services';
import type { ContactBinding } from '../../src/sip/registration-store';
import type { SrfApp, SrfRequest, SrfResponse } from '../../src/sip/srf-types';

/**
 * Fakes of what a call session talks to — rtpengine's ng commands, drachtio's
 * dialogs and requests, the ACD, the record writer — for the call-phase unit
 * tests (issue 13): the call flow proven without drachtio-server. They record
 * what they were asked, in order, so that a test asserts what the far ends
 * would have seen.
 */

export const sdp = (port: number, direction = 'sendrecv'): string =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', `a=${direction}`, ''].join('\r\n');

/** rtpengine as the ng protocol shows it: every command recorded, answered as rtpengine would, a fresh port per SDP. */
export class FakeNg implements NgCommandSender {
  readonly sent: Array<{ name: NgCommand; params: NgParams }> = [];
  private port = 40000;
  /** The next command of this name fails (rtpengine refusing it). */
  failNext: Partial<Record<NgCommand, string>> = {};
  /** How long rtpengine says a prompt lasts. */
  promptMs = 2122;

  command(name: NgCommand, params: NgParams): Promise<NgReply> {
    this.sent.push({ name, params });
    const failure = this.failNext[name];
    if (failure) {
      delete this.failNext[name];
      return Promise.reject(new AppError('INTERNAL', `rtpengine refused ${name}: ${failure}`));
    }
    if (name === 'offer' || name === 'answer') {
      // The direction asked for passes through, as rtpengine relays a hold.
      const offered = typeof params.sdp === 'string' ? params.sdp : '';
      const direction = /a=(sendonly|recvonly|inactive)/.exec(offered)?.[1] ?? 'sendrecv';
      return Promise.resolve({ result: 'ok', sdp: sdp((this.port += 2), direction) });
    }
    if (name === 'playMedia') return Promise.resolve({ result: 'ok', duration: this.promptMs });
    return Promise.resolve({ result: 'ok' });
  }

  names(): string[] {
    return this.sent.map((c) => c.name);
  }
}

/** A SIP dialog as drachtio-srf gives it: our BYEs and re-INVITEs recorded; the far end's BYE and requests simulated. */
export class FakeDialog extends EventEmitter {
  byes = 0;
  connected = true;
  readonly reinvites: string[] = [];
  readonly requests: Array<{ method: string; headers?: Record<string, string> }> = [];
  /** What the far end answers to our re-INVITE (by default the same direction back). */
  answerReinvite: (offer: string) => Promise<string> = (offer) => Promise.resolve(offer.replace(/a=sendonly/, 'a=recvonly'));

  constructor(readonly remote: { sdp: string }) {
    super();
  }

  destroy(_opts?: unknown, callback?: (err: Error | null) => void): Promise<void> {
    if (this.connected) this.byes += 1;
    const wasUp = this.connected;
    this.connected = false;
    callback?.(wasUp ? null : new Error('ENODIALOG'));
    return Promise.resolve();
  }

  modify(offer: string): Promise<string> {
    this.reinvites.push(offer);
    return this.answerReinvite(offer);
  }

  request(options: { method: string; headers?: Record<string, string> }): Promise<{ status: number }> {
    this.requests.push(options);
    return Promise.resolve({ status: 200 });
  }

  /** The far end ACKs our 200 OK; with a delayed offer the ACK carries its SDP answer. */
  farEndAcks(body?: string, contentType = 'application/sdp'): void {
    this.emit('ack', fakeRequest({ ...(body !== undefined ? { body, headers: { 'Content-Type': contentType } } : {}) }));
  }

  /** The far end hangs up (BYE). */
  farEndHangsUp(): void {
    if (!this.connected) return;
    this.connected = false;
    this.emit('destroy');
  }

  /** The far end sends a request on the dialog (re-INVITE as 'modify', REFER, INFO); resolves with what we answered. */
  async farEndSends(event: 'modify' | 'refer' | 'info', request: { body?: string; headers?: Record<string, string> }): Promise<{ status: number; body?: string }> {
    const answered = new Promise<{ status: number; body?: string }>((resolve) => {
      const res = { send: (status: number, opts?: { body?: string }) => resolve({ status, ...(typeof opts === 'object' && opts?.body ? { body: opts.body } : {}) }) };
      this.emit(event, fakeRequest({ body: request.body ?? '', headers: request.headers ?? {} }), res);
    });
    return answered;
  }
}

/** An incoming request as a handler reads it. */
export function fakeRequest(options: { body?: string; headers?: Record<string, string>; calledNumber?: string; source?: string }): SrfRequest & EventEmitter {
  const headers = new Map(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const req = Object.assign(new EventEmitter(), {
    body: options.body ?? '',
    calledNumber: options.calledNumber ?? '74950000000',
    source_address: options.source ?? '10.0.0.9',
    protocol: 'udp',
    get: (name: string) => headers.get(name.toLowerCase()),
    has: (name: string) => headers.has(name.toLowerCase()),
  });
  return req as unknown as SrfRequest & EventEmitter;
}

/** The INVITE's response as our code uses it; what was sent is kept. */
export function fakeResponse(): SrfResponse & { sent: Array<{ status: number; reason?: string; headers?: Record<string, string> }> } {
  const sent: Array<{ status: number; reason?: string; headers?: Record<string, string> }> = [];
  const res = {
    sent,
    get finalResponseSent() {
      return sent.some((s) => s.status >= 200);
    },
    send: (status: number, reason?: unknown, options?: { headers?: Record<string, string> }) => {
      const headers = options?.headers && Object.keys(options.headers).length > 0 ? { headers: options.headers } : {};
      sent.push({ status, ...(typeof reason === 'string' ? { reason } : {}), ...headers });
    },
  };
  return res as unknown as SrfResponse & { sent: Array<{ status: number; reason?: string; headers?: Record<string, string> }> };
}

/** An INVITE we sent toward a phone: the test answers it, refuses it or sees it cancelled. */
export interface RingingInvite {
  uri: string;
  headers: Record<string, string>;
  offer: string;
  cancelled: boolean;
  answer(dialog?: FakeDialog): FakeDialog;
  refuse(status: number): void;
}

/** drachtio-srf as a call uses it: answering the caller (createUAS) and ringing phones (createUAC). */
export class FakeSrf {
  readonly answered: Array<{ localSdp: string; dialog: FakeDialog }> = [];
  readonly invites: RingingInvite[] = [];
  /** Makes createUAS fail (the CANCEL crossed the answer, or drachtio refused). */
  failAnswer: Error | null = null;
  private readonly waiting: Array<(invite: RingingInvite) => void> = [];

  createUAS(_req: SrfRequest, _res: SrfResponse, options: { localSdp: string }): Promise<FakeDialog> {
    if (this.failAnswer) return Promise.reject(this.failAnswer);
    const dialog = new FakeDialog({ sdp: sdp(5000) });
    this.answered.push({ localSdp: options.localSdp, dialog });
    return Promise.resolve(dialog);
  }

  createUAC(
    uri: string,
    options: { localSdp?: string; headers?: Record<string, string> },
    callbacks: { cbRequest?: (err: Error | null, req: SrfRequest) => void } = {},
  ): Promise<FakeDialog> {
    return new Promise<FakeDialog>((resolve, reject) => {
      const invite: RingingInvite = {
        uri, headers: options.headers ?? {}, offer: options.localSdp ?? '', cancelled: false,
        answer: (dialog = new FakeDialog({ sdp: sdp(6000) })) => {
          resolve(dialog);
          return dialog;
        },
        refuse: (status) => reject(Object.assign(new Error(`${status}`), { status })),
      };
      const sent = { cancel: (cb?: () => void) => { invite.cancelled = true; invite.refuse(487); cb?.(); } };
      callbacks.cbRequest?.(null, sent as unknown as SrfRequest);
      this.invites.push(invite);
      this.waiting.splice(0).forEach((wake) => wake(invite));
    });
  }

  /** The hotline's INVITE handler, once mounted (InboundCallHandler.mount). */
  inviteHandler: ((req: SrfRequest, res: SrfResponse) => void) | null = null;

  invite(handler: (req: SrfRequest, res: SrfResponse) => void): void {
    this.inviteHandler = handler;
  }

  /** The next INVITE we send (or the last one, if it has been sent already and not yet taken). */
  nextInvite(after = 0): Promise<RingingInvite> {
    const ready = this.invites[after];
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.invites[after] as RingingInvite)));
  }
}

type AcdCall = Pick<Acd, 'enqueue' | 'markOffered' | 'answer' | 'ringNoAnswer' | 'abandon' | 'hangUp' | 'beginDirectCall' | 'endDirectCall'>;

/** The ACD as a call session talks to it: every call recorded as one line. */
export class FakeAcd implements AcdCall {
  readonly log: string[] = [];
  /** What enqueue answers: the caller waits, or nobody serves the queue (callback / voicemail policy). */
  enqueueOutcome: 'queued' | 'callback' | 'voicemail' = 'queued';
  /** The next call of this name fails (Redis down). */
  failNext: Partial<Record<keyof AcdCall, string>> = {};
  private readonly entered: Array<(request: EnqueueRequest) => void> = [];

  private record(line: string, method: keyof AcdCall): void {
    this.log.push(line);
    const failure = this.failNext[method];
    if (failure) {
      delete this.failNext[method];
      throw new AppError('DEPENDENCY_DOWN', failure);
    }
  }

  enqueue(request: EnqueueRequest): ReturnType<Acd['enqueue']> {
    this.record(`enqueue ${request.callId} ${request.queueId}`, 'enqueue');
    this.entered.splice(0).forEach((wake) => wake(request));
    return Promise.resolve({ ok: true, outcome: this.enqueueOutcome, queueId: request.queueId, position: 1 } as unknown as Awaited<ReturnType<Acd['enqueue']>>);
  }

  private readonly reservationListeners = new Set<(reservation: Reservation) => void>();

  onReservation(listener: (reservation: Reservation) => void): () => void {
    this.reservationListeners.add(listener);
    return () => {
      this.reservationListeners.delete(listener);
    };
  }

  /** The ACD reserves an agent for a call: every process's listener hears of it (as from a script run). */
  reserve(made: Reservation): void {
    for (const listener of [...this.reservationListeners]) listener(made);
  }

  /** Resolves when the caller is next put in a queue. */
  nextEnqueue(): Promise<EnqueueRequest> {
    return new Promise((resolve) => this.entered.push(resolve));
  }

  markOffered(callId: string, agentId: string): ReturnType<Acd['markOffered']> {
    this.record(`offered ${callId} ${agentId}`, 'markOffered');
    return Promise.resolve({ deadline: Date.now() + 15_000 });
  }

  answer(callId: string, agentId: string): ReturnType<Acd['answer']> {
    this.record(`answer ${callId} ${agentId}`, 'answer');
    return Promise.resolve({ waitMs: 1000 });
  }

  ringNoAnswer(callId: string, agentId: string, by?: string, options: { unreachable?: boolean } = {}): ReturnType<Acd['ringNoAnswer']> {
    this.record(`ring-no-answer ${callId} ${agentId}${options.unreachable ? ' unreachable' : ''}`, 'ringNoAnswer');
    return Promise.resolve({ ok: true, position: 1 } as unknown as Awaited<ReturnType<Acd['ringNoAnswer']>>);
  }

  abandon(callId: string): ReturnType<Acd['abandon']> {
    this.record(`abandon ${callId}`, 'abandon');
    return Promise.resolve({ ok: true, waitMs: 1000 } as unknown as Awaited<ReturnType<Acd['abandon']>>);
  }

  beginDirectCall(agentId: string, callId: string): ReturnType<Acd['beginDirectCall']> {
    this.record(`direct-call ${agentId} ${callId}`, 'beginDirectCall');
    return Promise.resolve({ occupied: true });
  }

  endDirectCall(agentId: string, callId: string): ReturnType<Acd['endDirectCall']> {
    this.record(`end-direct-call ${agentId} ${callId}`, 'endDirectCall');
    return Promise.resolve(true);
  }

  hangUp(callId: string, options: { by?: string } = {}): ReturnType<Acd['hangUp']> {
    this.record(`hang-up ${callId} by ${options.by ?? '?'}`, 'hangUp');
    return Promise.resolve({ ok: true, outcome: 'completed' } as unknown as Awaited<ReturnType<Acd['hangUp']>>);
  }
}

/** A reservation of `agentId` for the ACD entry `callId`. */
export function reservation(callId: string, agentId: number, ringMs = 15_000): Reservation {
  return { callId, agentId: String(agentId), queueId: 'operators', kind: 'call', owner: 'test', holder: 'test', deadline: Date.now() + ringMs, ringMs };
}

/** A flow that routes every caller to the operators at once: the IVR phase without prompts to wait for. */
export const ROUTE_AT_ONCE_FLOW: FlowDocument = {
  schemaVersion: 1, name: 'main', languages: ['ru'], defaultLanguage: 'ru', start: 'route_operator', maxSteps: 10,
  nodes: { route_operator: { type: 'route', intent: 'operator' } },
};

export interface FakeCallWorld {
  services: CallServices;
  ng: FakeNg;
  srf: FakeSrf;
  acd: FakeAcd;
  records: CallRecord[];
  /** Registered phones by staff id. */
  phones: Map<number, ContactBinding[]>;
  /** The caller lookup's answer; a never-settling promise keeps it slow. */
  lookup: { answer: () => Promise<CallerLookupResult> };
}

/** The one fake rtpengine every call of a fake world goes on, known to `tracker` when given (a test's sweeper). */
export function fakeMedia(ng: FakeNg, tracker?: MediaCallTracker): MediaEngines {
  return singleMediaEngine({ id: 'udp://127.0.0.1:22222', ng, recordingDir: '/nonexistent/captures', ...(tracker ? { tracker } : {}) });
}

/** Everything a call session uses, faked, around a directory and the shipped routing config. */
export function fakeCallWorld(directory: DirectorySnapshot, options: { flow?: FlowDocument; routing?: RoutingConfig } = {}): FakeCallWorld {
  const ng = new FakeNg();
  ng.promptMs = 5;
  const srf = new FakeSrf();
  const acd = new FakeAcd();
  const records: CallRecord[] = [];
  const phones = new Map<number, ContactBinding[]>();
  const lookup = { answer: (): Promise<CallerLookupResult> => Promise.resolve({ kind: 'new', e164: '+74951234567' }) };
  const published = <T>(document: T): PublishedConfigCache<T> =>
    ({ currentOrLastKnown: () => Promise.resolve({ version: 1, document }) }) as unknown as PublishedConfigCache<T>;
  const services: CallServices = {
    srf: srf as unknown as SrfApp,
    acd: acd as unknown as Acd,
    media: fakeMedia(ng),
    dtmf: { subscribe: () => () => undefined, acceptSipInfo: () => ({ result: 'accepted' }) } as unknown as DtmfListener,
    lookup: { lookup: () => lookup.answer() } as unknown as CallerLookup,
    flows: published(options.flow ?? ROUTE_AT_ONCE_FLOW),
    routing: published(options.routing ?? DEFAULT_ROUTING_CONFIG),
    directory: () => Promise.resolve(directory),
    prompts: () => Promise.resolve({ catalogue: DEFAULT_PROMPTS, fileOf: (id: string, language: string) => `/prompts/${language}/${id}.wav` }),
    availability: { snapshot: (queues: readonly string[]) => ({ staff: [], queues: queues.map((queue) => ({ queue, agentsLoggedIn: 3, agentsAvailable: 1 })) }) } as unknown as AvailabilityView,
    contactsOf: (staffId) => Promise.resolve(phones.get(staffId) ?? []),
    writer: {
      writeCall: (record: CallRecord) => {
        records.push(record);
        return Promise.resolve('written');
      },
      writeRecording: () => Promise.resolve('written'),
    } as unknown as CallRecordWriter,
    trunks: { allows: () => true } as unknown as CallServices['trunks'],
    recordingsRoot: '/nonexistent/recordings',
    recordingRetentionDays: 30,
    callLimits: { maxWaitMs: 60_000, maxCallMs: 600_000, keepaliveMs: 0 },
    musicOnHoldFile: '/prompts/moh.wav',
    flowName: 'main',
    logger: createRootLogger('silent'),
  };
  return { services, ng, srf, acd, records, phones, lookup };
}

/** A desk phone registered over UDP. */
export function deskPhone(user: string): ContactBinding {
  return { uri: `sip:${user}@10.0.0.50:5060`, transport: 'udp' } as ContactBinding;
}

/** Everything but Date: timers, ticks and microtasks run for real under wallClockAt(). */
const REAL_TIMERS = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;

/** Routing reads the wall clock (business hours): only Date is faked, standing at `now`; timers run for real. */
export function wallClockAt(now: Date): void {
  jest.useFakeTimers({ now, doNotFake: [...REAL_TIMERS] });
}
