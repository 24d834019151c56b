import { Client, type NgParams, type NgReply } from 'rtpengine-client';
import { AppError } from '../errors/app-error';

export type { NgParams, NgReply };

export type NgCommand = 'offer' | 'answer' | 'delete' | 'query' | 'list' | 'startRecording' | 'stopRecording' | 'playMedia' | 'stopMedia' | 'playDTMF' | 'blockMedia' | 'unblockMedia'
  | 'publish' | 'subscribeRequest' | 'subscribeAnswer' | 'unsubscribe';

/** What a media session needs of the ng client: one command, resolved only on `result: ok`. */
export interface NgCommandSender {
  command(name: NgCommand, params: NgParams): Promise<NgReply>;
}

export interface NgClientOptions {
  host: string;
  port: number;
  /** Every command gets one (the library's default is to wait forever). */
  timeoutMs?: number;
}

/**
 * rtpengine's ng control protocol over UDP. Error replies resolve in the
 * library; here they are errors, so no caller mistakes a refusal for success.
 */
export class RtpengineNgClient implements NgCommandSender {
  private readonly client: Client;

  constructor(private readonly options: NgClientOptions) {
    this.client = new Client({ timeout: options.timeoutMs ?? 2000 });
    // Late or uncorrelated replies are reported as 'error' events; they must not crash the process.
    this.client.on('error', () => undefined);
  }

  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    let reply: NgReply;
    try {
      reply = await this.client[name](this.options.port, this.options.host, params);
    } catch (err) {
      throw new AppError('DEPENDENCY_DOWN', `rtpengine ${name} failed: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
    }
    if (reply.result !== 'ok') {
      throw new AppError('INTERNAL', `rtpengine refused ${name}: ${reply['error-reason'] ?? reply.result}`);
    }
    return reply;
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
