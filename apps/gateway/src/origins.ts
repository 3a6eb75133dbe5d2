/**
 * Whether a browser page from `origin` may connect. With no configured origins only the gateway's own page may
 * (the Origin's host equals the Host header); `*` allows any origin. Clients that send no Origin (Node, bots,
 * native apps) are not browsers and are allowed: the Origin check protects players' browsers from other sites.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  if (allowed.length > 0) return allowed.includes(origin);
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
