// One place that turns an untrusted relative path (a URL path, a result id) into a file path, and
// refuses anything that would land outside the folder it was meant for. The browser host, the
// app:// protocol and the results store all go through here, so a traversal fix lands everywhere.
import { isAbsolute, relative, resolve, sep } from 'node:path'

/** True when `target` is `root` itself or lies below it (both already resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))
}

/**
 * Resolves `untrusted` (already percent-decoded, '/'-separated) below `root`.
 * Returns null for NUL bytes, backslashes (Windows separators smuggled in a URL) or any escape.
 */
export function resolveInside(root: string, untrusted: string): string | null {
  if (untrusted.includes('\0') || untrusted.includes('\\')) return null
  const base = resolve(root)
  const target = resolve(base, '.' + sep + untrusted.replace(/^\/+/, ''))
  return isInside(base, target) ? target : null
}

/** Percent-decodes a URL path; null when the encoding is malformed. */
export function decodeUrlPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}
