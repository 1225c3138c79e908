// Imported first by main.ts, before any module that builds a schema: zod decides at schema
// construction whether to compile parsers with `new Function`, and that probe alone is reported
// as a CSP violation (we allow no 'unsafe-eval'). Jitless parsing is fast enough for our payloads.
import { z } from 'zod'

z.config({ jitless: true })
