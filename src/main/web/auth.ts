// Who may talk to the browser host: a per-launch secret in the Authorization header, and only
// requests addressed to our own loopback name (a DNS-rebinding page sends its own Host).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '')
  if (!match) return false
  // Hash both sides so the comparison has equal lengths and leaks nothing about the length.
  const given = createHash('sha256').update(match[1]).digest()
  const expected = createHash('sha256').update(token).digest()
  return timingSafeEqual(given, expected)
}

/** Accepts only `127.0.0.1:<port>` and `localhost:<port>`. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false
  const h = host.toLowerCase()
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`
}
