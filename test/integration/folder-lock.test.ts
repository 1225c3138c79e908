// One Dwellmap per projects folder (runtime/folder-lock.ts, on proper-lockfile): a second process
// is refused with one line naming the folder, the lock goes when its owner exits (normally or by
// a signal), an owner keeps its lock fresh, and a lock left by a process that died is taken over
// once it is stale.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, rmdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FolderLocked, LOCK_FILE, lockFolder } from '../../src/main/runtime/folder-lock'

const holder = resolve('test/helpers/hold-folder-lock.ts')
const children: ChildProcess[] = []
let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dwellmap-lock-'))
})

afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await chmod(folder, 0o700).catch(() => undefined)
  await rm(folder, { recursive: true, force: true })
})

interface Run {
  child: ChildProcess
  /** Settles with "locked" once the lock is held, or with the exit code and stderr on refusal. */
  started: Promise<{ locked: true } | { locked: false; code: number | null; stderr: string }>
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>
}

function hold(dir: string, options: { noWait?: boolean; uid?: number } = {}): Run {
  const args = ['--import', 'tsx', holder, dir, ...(options.noWait ? ['--no-wait'] : [])]
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...ids })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | NodeJS.Signals | null>((done) => child.on('exit', (code, signal) => done(code ?? signal)))
  const started = new Promise<Awaited<Run['started']>>((done) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.includes('locked\n')) done({ locked: true })
    })
    void exited.then((code) => done({ locked: false, code: typeof code === 'number' ? code : null, stderr }))
  })
  return { child, started, exited }
}

const lockIn = (dir: string): string => join(dir, LOCK_FILE)
const secondsAgo = (s: number): Date => new Date(Date.now() - s * 1000)

describe('the projects folder lock, between processes', () => {
  it('refuses a second process with one line naming the folder, until the first has gone', async () => {
    const first = hold(folder)
    expect(await first.started).toEqual({ locked: true })
    expect(statSync(lockIn(folder)).isDirectory()).toBe(true)

    const second = hold(folder)
    expect(await second.started).toEqual({
      locked: false,
      code: 1,
      stderr: `dwellmap: another Dwellmap is already using the projects folder ${folder} (one that stopped unexpectedly frees it within 12 seconds)\n`
    })

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(existsSync(lockIn(folder))).toBe(false)
    const third = hold(folder)
    expect(await third.started).toEqual({ locked: true })
    third.child.kill('SIGINT')
    expect(await third.exited).toBe(0)
    expect(existsSync(lockIn(folder))).toBe(false)
  })

  it('frees the folder when a signal nobody handles ends its owner (the terminal closed: SIGHUP)', async () => {
    const run = hold(folder)
    expect(await run.started).toEqual({ locked: true })
    run.child.kill('SIGHUP')
    expect(await run.exited).toBe('SIGHUP')
    expect(existsSync(lockIn(folder))).toBe(false)
  })

  it('lets a command that holds it end by itself, and frees the folder then', async () => {
    const run = hold(folder, { noWait: true })
    expect(await run.started).toEqual({ locked: true })
    // The lock's refresh timer must not keep the process alive.
    const tooLong = new Promise((done) => setTimeout(() => done('still running after 10 s'), 10_000).unref())
    expect(await Promise.race([run.exited, tooLong])).toBe(0)
    expect(existsSync(lockIn(folder))).toBe(false)
  })

  it('gives the lock to exactly one of several starting at the same moment', async () => {
    const runs = Array.from({ length: 4 }, () => hold(folder))
    const outcomes = await Promise.all(runs.map((r) => r.started))
    expect(outcomes.filter((o) => o.locked)).toHaveLength(1)
    for (const o of outcomes) if (!o.locked) expect(o.stderr).toBe(`dwellmap: ${new FolderLocked(folder).message}\n`)
  })

  it('refuses while a killed owner’s lock is fresh, and takes it over within the 12 seconds it says', async () => {
    const first = hold(folder)
    expect(await first.started).toEqual({ locked: true })
    first.child.kill('SIGKILL')
    await first.exited
    const killedAt = Date.now()
    // SIGKILL runs no exit handler: the lock is left behind, and is not stale yet.
    expect(existsSync(lockIn(folder))).toBe(true)
    expect(() => lockFolder(folder)).toThrow(new FolderLocked(folder))
    let lock = null
    while (!lock) {
      try {
        lock = lockFolder(folder)
      } catch (error) {
        if (!(error instanceof FolderLocked)) throw error
        await new Promise((done) => setTimeout(done, 200))
      }
    }
    // Stale 10 s after its last refresh (here its first, at most 1 s ahead), as the message says.
    expect(Date.now() - killedAt).toBeGreaterThan(9_000)
    expect(Date.now() - killedAt).toBeLessThan(12_000)
    lock.release()
  })

  it.skipIf(process.getuid?.() !== 0)('says in words that a folder it may not write to cannot be written to (as another user)', async () => {
    await chmod(folder, 0o755)
    const run = hold(folder, { uid: 65534 })
    const outcome = await run.started
    expect(outcome.locked).toBe(false)
    expect(outcome.locked || outcome.stderr).toContain(`the projects folder ${folder} cannot be written to (EACCES)`)
  })
})

describe('the projects folder lock, in one process', () => {
  it('refuses a second lock on the same folder, and frees it on release', () => {
    const lock = lockFolder(folder)
    expect(lock.file).toBe(lockIn(folder))
    expect(() => lockFolder(folder)).toThrow(new FolderLocked(folder))
    lock.release()
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
    lockFolder(folder).release()
  })

  it('takes over a lock not refreshed for 10 seconds, and not a fresher one', () => {
    mkdirSync(lockIn(folder))
    utimesSync(lockIn(folder), secondsAgo(9), secondsAgo(9))
    expect(() => lockFolder(folder)).toThrow(new FolderLocked(folder))
    utimesSync(lockIn(folder), secondsAgo(11), secondsAgo(11))
    const lock = lockFolder(folder)
    expect(Date.now() - statSync(lock.file).mtimeMs).toBeLessThan(2000)
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
  })

  it('keeps its lock fresh while it is held, so that it is never taken for a crash’s', () => {
    vi.useFakeTimers()
    const lock = lockFolder(folder)
    vi.advanceTimersByTime(60_000)
    expect(Date.now() - statSync(lock.file).mtimeMs).toBeLessThan(10_000)
    expect(() => lockFolder(folder)).toThrow(new FolderLocked(folder))
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
  })

  it('says so and carries on when its lock is taken over, and leaves the new owner’s lock alone', () => {
    vi.useFakeTimers()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const lock = lockFolder(folder)
    // Another process found it stale (this one asleep) and made its own.
    rmdirSync(lock.file)
    mkdirSync(lock.file)
    utimesSync(lock.file, secondsAgo(3), secondsAgo(3))
    expect(() => vi.advanceTimersByTime(10_000)).not.toThrow()
    expect(warn).toHaveBeenCalledOnce()
    expect(warn.mock.calls[0][0]).toContain(`lost the lock on the projects folder ${folder}`)
    lock.release()
    lock.release()
    expect(existsSync(lock.file)).toBe(true)
  })
})

describe('the projects folder lock, on a folder it cannot write to', () => {
  it('says so in words', () => {
    const missing = join(folder, 'not-there')
    expect(() => lockFolder(missing)).toThrow(`the projects folder ${missing} cannot be written to (ENOENT)`)
    const file = join(folder, 'a-file')
    writeFileSync(file, '')
    expect(() => lockFolder(file)).toThrow(`the projects folder ${file} cannot be written to (ENOTDIR)`)
  })

  it.skipIf(process.getuid?.() === 0)('says so in words when the folder is read-only', () => {
    chmodSync(folder, 0o555)
    expect(() => lockFolder(folder)).toThrow(`the projects folder ${folder} cannot be written to (EACCES)`)
  })
})
