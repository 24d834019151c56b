// The slice of npm rtpengine-client that src/media uses (the package ships no types).
declare module 'rtpengine-client' {
  import { EventEmitter } from 'node:events';
  export type NgParams = Record<string, unknown>;
  export type NgReply = Record<string, unknown> & { result: string; 'error-reason'?: string; warning?: string };
  export class Client extends EventEmitter {
    constructor(options: { localPort?: number; localAddress?: string; timeout?: number });
    offer(port: number, host: string, params: NgParams): Promise<NgReply>;
    answer(port: number, host: string, params: NgParams): Promise<NgReply>;
    delete(port: number, host: string, params: NgParams): Promise<NgReply>;
    query(port: number, host: string, params: NgParams): Promise<NgReply>;
    /** `list`: the call-ids rtpengine holds (`calls`), at most `limit` of them. */
    list(port: number, host: string, params: NgParams): Promise<NgReply>;
    ping(port: number, host: string): Promise<NgReply>;
    startRecording(port: number, host: string, params: NgParams): Promise<NgReply>;
    stopRecording(port: number, host: string, params: NgParams): Promise<NgReply>;
    playMedia(port: number, host: string, params: NgParams): Promise<NgReply>;
    stopMedia(port: number, host: string, params: NgParams): Promise<NgReply>;
    playDTMF(port: number, host: string, params: NgParams): Promise<NgReply>;
    blockMedia(port: number, host: string, params: NgParams): Promise<NgReply>;
    unblockMedia(port: number, host: string, params: NgParams): Promise<NgReply>;
    /** Media forking (rtpengine ≥ 10.x): `publish`, `subscribe request`, `subscribe answer`, `unsubscribe`. */
    publish(port: number, host: string, params: NgParams): Promise<NgReply>;
    subscribeRequest(port: number, host: string, params: NgParams): Promise<NgReply>;
    subscribeAnswer(port: number, host: string, params: NgParams): Promise<NgReply>;
    unsubscribe(port: number, host: string, params: NgParams): Promise<NgReply>;
    close(): void;
    /** The UDP socket it sends from and reads replies on (bound in the constructor). */
    socket: import('node:dgram').Socket;
  }
}
