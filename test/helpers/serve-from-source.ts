// `dwellmap serve` from the source (no build needed), failing as commands.ts does: one line on
// stderr and exit code 1. Usage: node --import tsx serve-from-source.ts <projects> <results>
import { serve } from '../../src/main/cli/serve-command'

try {
  await serve({ projects: process.argv[2], results: process.argv[3], port: 0 })
} catch (error) {
  process.stderr.write(`dwellmap: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
