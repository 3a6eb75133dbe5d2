import type { IncomingHttpHeaders } from 'node:http';

/**
 * The player's address for per-address limits: the connection's own, or, behind `hops` trusted proxies (a load
 * balancer that appends to X-Forwarded-For), the address the outermost trusted proxy saw.
 */
export function clientAddress(socket: { handshake: { headers: IncomingHttpHeaders; address: string } }, hops: number): string {
  return addressOf(socket.handshake.headers, socket.handshake.address, hops);
}

/** {@link clientAddress} from a raw request's headers and peer address. */
export function addressOf(headers: IncomingHttpHeaders, peer: string | undefined, hops: number): string {
  const forwarded = headers['x-forwarded-for'];
  if (hops > 0 && typeof forwarded === 'string') {
    const chain = forwarded.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
    const address = chain[chain.length - hops];
    if (address !== undefined) return address;
  }
  return peer ?? 'unknown';
}
