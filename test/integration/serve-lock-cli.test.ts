// `dwellmap serve` twice on one projects folder: the second is refused with one line and exit
// code 1, and the folder is free again once the first stops (Ctrl+C or SIGTERM, even at once).
//
// Twice over: serve() from the source (test/helpers/serve-from-source.ts), and the BUILT command
// as a user runs it (bin/dwellmap.js -> out/main), which is skipped until a build that has this
// folder lock (src/main/runtime/folder-lock.ts, named by LOCK_FILE) exists. folder-lock.test.ts
// tests the lock itself.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FolderLocked, LOCK_FILE } from '../../src/main/runtime/folder-lock'

const bin = resolve('bin/dwellmap.js')
const fromSource = resolve('test/helpers/serve-from-source.ts')
const outMain = resolve('out/main')
const builtWithLock = existsSync(outMain) && readdirSync(outMain).some((f) => f.endsWith('.js') && readFileSync(join(outMain, f), 'utf8').includes(LOCK_FILE))

const children: ChildProcess[] = []
let root: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dwellmap-serve-lock-'))
})

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await rm(root, { recursive: true, force: true })
})

type Launch = (projects: string, results: string) => string[]
const built: Launch = (projects, results) => [bin, 'serve', '--projects', projects, '--results', results]
const source: Launch = (projects, results) => ['--import', 'tsx', fromSource, projects, results]

/** Starts `dwellmap serve`; `running` settles once it prints its address, or when it exits. */
function serve(launch: Launch, projects: string) {
  const child = spawn(process.execPath, launch(projects, join(root, 'results')), { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const running = new Promise<{ running: boolean; code: number | null; stdout: string; stderr: string }>((done) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.includes('Press Ctrl+C to stop.')) done({ running: true, code: null, stdout, stderr })
    })
    void exited.then((code) => done({ running: false, code, stdout, stderr }))
  })
  return { child, running, exited }
}

async function refusesSecond(launch: Launch): Promise<void> {
  const projects = join(root, 'projects')
  const first = serve(launch, projects)
  expect((await first.running).running).toBe(true)

  const second = serve(launch, projects)
  const refused = await second.running
  expect(refused.running).toBe(false)
  expect(refused.code).toBe(1)
  expect(refused.stderr).toBe(`dwellmap: ${new FolderLocked(projects).message}\n`)
  expect(refused.stdout).toBe('')

  first.child.kill('SIGINT')
  expect(await first.exited).toBe(0)
  expect(existsSync(join(projects, LOCK_FILE))).toBe(false)

  // Stopped the moment it says it runs: the lock still goes.
  const third = serve(launch, projects)
  expect((await third.running).running).toBe(true)
  third.child.kill('SIGTERM')
  expect(await third.exited).toBe(0)
  expect(existsSync(join(projects, LOCK_FILE))).toBe(false)
}

describe('serve() on a projects folder already in use', () => {
  it('refuses with one line and exit code 1, and starts once the first has stopped', () => refusesSecond(source))
})

describe.skipIf(!builtWithLock)('the built `dwellmap serve` on a projects folder already in use (needs a fresh build)', () => {
  it('refuses with one line and exit code 1, and starts once the first has stopped', () => refusesSecond(built))
})
