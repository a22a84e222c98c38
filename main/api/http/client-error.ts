// Requests Node's HTTP parser refuses before any route sees them — a header block over the limit,
// broken framing, a client too slow to send its request — still get the error body of the service
// their path names (or the UI contract's envelope under /api).
import type { Socket } from 'node:net';
import { DeskError, toEnvelope } from '../../core/errors';
import { newRequestId } from '../../core/context';
import { errorStyleFor, openstackErrorBody } from '../openstack/errors';

const REASON: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The path of the request line in what the parser received, when it got that far. */
export function requestPathOf(raw: unknown): string {
  const line = Buffer.isBuffer(raw) ? raw.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] : '';
  const m = /^[A-Z]{1,20} (\/\S*) HTTP\/\d\.\d$/.exec(line);
  return m ? m[1].split('?')[0] : '';
}

export function errorForParser(code: string | undefined): DeskError {
  if (code === 'HPE_HEADER_OVERFLOW') return new DeskError('HeaderTooLarge', 'Request header fields too large: the headers exceed 16 KB (an X-Auth-Token is at most a few hundred bytes).');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new DeskError('RequestTimeout', 'The request was not received in time; send it again.');
  return new DeskError('BadRequest', 'Malformed HTTP request: the request line, headers or body framing could not be parsed.');
}

/** Fastify's clientErrorHandler: one OpenStack-shaped answer, then the connection closes. */
export function answerClientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const de = errorForParser(err.code);
  const path = requestPathOf(err.rawPacket);
  const body = JSON.stringify(path.startsWith('/api/') ? toEnvelope(de) : openstackErrorBody(errorStyleFor(path), de));
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // end() flushes the answer before closing; whatever the client still sends is not read.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${de.status} ${REASON[de.status] ?? 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-OpenStack-Request-Id: ${newRequestId()}\r\nConnection: close\r\n\r\n${body}`,
  );
}
