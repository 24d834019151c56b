import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

/**
 * Sends a file with HTTP Range support (RFC 9110 §14), as browsers' <audio>
 * elements seek with Range requests. One range per request; a range that does
 * not fit the file is 416.
 */
export async function sendFileWithRange(request: FastifyRequest, reply: FastifyReply, file: string, contentType: string, downloadName?: string): Promise<FastifyReply> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new AppError('NOT_FOUND', 'the audio file is missing on the server');
  }
  void reply.header('accept-ranges', 'bytes').type(contentType);
  if (downloadName) void reply.header('content-disposition', `inline; filename="${downloadName.replace(/[^\w.-]/g, '_')}"`);
  const range = request.headers.range;
  if (!range) return reply.header('content-length', size).send(createReadStream(file));
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = match?.[1] ? Number(match[1]) : NaN;
  let end = match?.[2] ? Number(match[2]) : size - 1;
  if (match && match[1] === '' && match[2] !== '') {
    // "bytes=-500": the last 500 bytes
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  }
  if (!match || Number.isNaN(start) || start > end || start >= size) {
    return reply.code(416).header('content-range', `bytes */${size}`).send();
  }
  end = Math.min(end, size - 1);
  return reply
    .code(206)
    .header('content-range', `bytes ${start}-${end}/${size}`)
    .header('content-length', end - start + 1)
    .send(createReadStream(file, { start, end }));
}
