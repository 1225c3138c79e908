// The renderer's Content-Security-Policy and companion headers, sent by both hosts (the browser
// host over HTTP, the Electron shell on its app:// protocol) so the two cannot drift apart.
// index.html repeats the policy in a meta tag (minus frame-ancestors, which a meta tag cannot set).

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // The reference frame arrives as a data: URL; Plotly draws heatmaps to a canvas and shows it as data:.
  "img-src 'self' data: blob:",
  // Plotly injects <style> elements and style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}
