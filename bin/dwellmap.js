#!/usr/bin/env node
// Thin launcher: the CLI itself is built by electron-vite into out/main/cli.js.
import { existsSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('dwellmap: the app is not built yet: run `npm run setup` in the Dwellmap folder first\n')
  process.exit(1)
}
await import(cli.href)
