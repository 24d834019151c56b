import type { Socket } from 'node:dgram';
import { Client, type NgParams, type NgReply } from 'rtpengine-client';
import { AppError } from '../errors/app-error';

export type { NgParams, NgReply };

export type NgCommand = 'offer' | 'answer' | 'delete' | 'query' | 'list' | 'startRecording' | 'stopRecording' | 'playMedia' | 'stopMedia' | 'playDTMF' | 'blockMedia' | 'unblockMedia'
  | 'publish' | 'subscribeRequest' | 'subscribeAnswer' | 'unsubscribe';

/**
 * The SDP of an ng reply (`offer`, `answer`, `subscribe request`, `publish`):
 * a string, or bytes the bencode decoder left undecoded. A reply without one
 * is an INTERNAL AppError naming the call (`context`).
 */
export function replySdp(reply: NgReply, context: string): string {
  const sdp = reply.sdp;
  if (typeof sdp === 'string' && sdp.length > 0) return sdp;
  if (Buffer.isBuffer(sdp)) return sdp.toString('utf8');
  throw new AppError('INTERNAL', `rtpengine replied without SDP on ${context}`);
}

/** What a media session needs of the ng client: one command, resolved only on `result: ok`. */
export interface NgCommandSender {
  command(name: NgCommand, params: NgParams): Promise<NgReply>;
}

/**
 * The ng socket's receive buffer (issue 16). With the kernel's default (208 KB)
 * the replies of a few hundred commands — offer and answer carry SDP — fill it
 * while the event loop is busy for some tens of ms, and the kernel drops the
 * rest: bench:sip at 350 calls/s lost 179 replies at this socket, each an ng
 * timeout 2 s later with rtpengine at 22 % CPU. 4 MB holds a few thousand; the
 * kernel caps it at net.core.rmem_max.
 */
export const NG_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Gives a bound or binding UDP socket NG_RECEIVE_BUFFER_BYTES to receive into (as much as net.core.rmem_max allows). */
export function widenNgReceiveBuffer(socket: Socket): void {
  const widen = (): void => {
    try {
      socket.setRecvBufferSize(NG_RECEIVE_BUFFER_BYTES);
    } catch {
      // closed before it was bound: nothing to receive into
    }
  };
  try {
    socket.address();
    widen();
  } catch {
    socket.once('listening', widen);
  }
}

/**
 * Most ng commands outstanding at one rtpengine (issue 16). rtpengine 10.5
 * reads its ng socket with the kernel's default receive buffer (208 KB; it
 * has no option for it), which holds some 160 commands with SDP: after a
 * pause of this process's event loop the commands of a few hundred calls
 * leave at once, and those that do not fit are dropped — each an ng timeout
 * 2 s later, an admitted call failed (bench:sip at 300 calls/s: 241 of them,
 * none answered late). Past this many, commands wait here, in order, where
 * the overload control's ng round trip sees their wait.
 */
export const NG_MAX_IN_FLIGHT = 64;

export interface NgClientOptions {
  host: string;
  port: number;
  /** Every command gets one (the library's default is to wait forever). It runs from when the command leaves, not while it waits for its turn. */
  timeoutMs?: number;
  /** Most commands outstanding at once (default NG_MAX_IN_FLIGHT). */
  maxInFlight?: number;
}

/**
 * rtpengine's ng control protocol over UDP. Error replies resolve in the
 * library; here they are errors, so no caller mistakes a refusal for success.
 */
export class RtpengineNgClient implements NgCommandSender {
  private readonly client: Client;
  private readonly maxInFlight: number;
  private inFlight = 0;
  /** Commands waiting for their turn, oldest first. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: NgClientOptions) {
    this.client = new Client({ timeout: options.timeoutMs ?? 2000 });
    // Late or uncorrelated replies are reported as 'error' events; they must not crash the process.
    this.client.on('error', () => undefined);
    widenNgReceiveBuffer(this.client.socket);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? NG_MAX_IN_FLIGHT);
  }

  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    let reply: NgReply;
    await this.turn();
    try {
      reply = await this.client[name](this.options.port, this.options.host, params);
    } catch (err) {
      throw new AppError('DEPENDENCY_DOWN', `rtpengine ${name} failed: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
    } finally {
      this.done();
    }
    if (reply.result !== 'ok') {
      throw new AppError('INTERNAL', `rtpengine refused ${name}: ${reply['error-reason'] ?? reply.result}`);
    }
    return reply;
  }

  /** Resolves when this command may leave: at once below the limit, else when an earlier one is answered or times out. */
  private turn(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A command is answered or timed out: its place goes to the oldest waiting one. */
  private done(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping(this.options.port, this.options.host)).result === 'pong';
    } catch {
      return false;
    }
  }

  close(): void {
    this.client.socket.close();
  }
}
