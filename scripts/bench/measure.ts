// Runs one command and measures it from the outside: wall time, and the peak of the summed
// resident memory of the process and all its descendants, read from /proc every ~50 ms.
// Optionally watches directories for files the run creates (frame files must never appear) and
// scans the open file descriptors of the process tree for files it writes.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, watch, type FSWatcher } from 'node:fs'
import { basename, join } from 'node:path'

const PAGE = 4096
const SAMPLE_MS = 50

interface ProcInfo {
  pid: number
  ppid: number
  comm: string
  rssBytes: number
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const fields = stat.slice(close + 2).split(' ')
    // After "(comm) ": state ppid ... ; rss is field 24 of stat, i.e. index 21 here.
    return { pid, ppid: Number(fields[1]), comm, rssBytes: Number(fields[21]) * PAGE }
  } catch {
    return null // it exited between the listing and the read
  }
}

/** The process and all its descendants, found by walking parent links over all of /proc. */
export function processTree(root: number): ProcInfo[] {
  const all: ProcInfo[] = []
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    const info = readProc(pid)
    if (info) all.push(info)
  }
  const children = new Map<number, ProcInfo[]>()
  for (const p of all) {
    const list = children.get(p.ppid)
    if (list) list.push(p)
    else children.set(p.ppid, [p])
  }
  const rootInfo = all.find((p) => p.pid === root)
  if (!rootInfo) return []
  const out: ProcInfo[] = []
  const stack = [rootInfo]
  while (stack.length) {
    const p = stack.pop()!
    out.push(p)
    stack.push(...(children.get(p.pid) ?? []))
  }
  return out
}

/** Proportional set size: shared pages split between the processes that map them. */
function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Regular files the processes hold open for writing (O_WRONLY or O_RDWR). */
function filesOpenForWriting(pids: number[]): string[] {
  const out: string[] = []
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
        if (!target.startsWith('/') || target.startsWith('/dev/') || target.startsWith('/proc/')) continue
        const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))
        if (flags && (parseInt(flags[1], 8) & 3) !== 0) out.push(target.replace(/ \(deleted\)$/, ''))
      } catch {
        // closed meanwhile
      }
    }
  }
  return out
}

export interface WatchSpec {
  /** Directories whose new entries are recorded (inotify; short-lived files are seen too). */
  dirs: string[]
  /** Of those, the ones whose new sub-folders are watched as well. */
  deep?: string[]
}

export interface RunResult {
  wallSeconds: number
  code: number | null
  stdout: string
  stderr: string
  /** Peak of the summed RSS of the whole process tree. */
  peakRssBytes: number
  /** The tree at the moment of the peak: command name and RSS of each process. */
  peakBreakdown: Array<{ comm: string; rssBytes: number }>
  /** Peak of the summed PSS (shared library pages counted once), read every ~200 ms. */
  peakPssBytes: number
  samples: number
  /** Paths created in the watched directories during the run: size at the end (null if gone), largest size seen. */
  created: Array<{ path: string; bytes: number | null; maxBytes: number }>
  /** Files the process tree was seen holding open for writing. */
  writtenByTree: string[]
  /** Largest size seen of every file above. */
  maxSize: Map<string, number>
}

export async function measure(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; watch?: WatchSpec } = {}): Promise<RunResult> {
  const createdNames = new Set<string>()
  // Largest size each new or written file was seen with (it may be gone by the end).
  const maxSize = new Map<string, number>()
  const seen = (path: string): void => {
    try {
      const st = statSync(path)
      if (st.isFile()) maxSize.set(path, Math.max(maxSize.get(path) ?? 0, st.size))
    } catch {
      // already gone
    }
  }
  const watchers: FSWatcher[] = []
  const watched = new Set<string>()
  // Folders created inside a watched folder (a checkpoint folder, say) are watched too.
  const watchDir = (dir: string): void => {
    if (watched.has(dir)) return
    watched.add(dir)
    try {
      watchers.push(
        watch(dir, { persistent: false }, (event, name) => {
          if (!name) return
          const path = join(dir, name.toString())
          if (event === 'rename') createdNames.add(path)
          seen(path)
          if (event === 'rename' && opts.watch?.deep?.some((d) => path.startsWith(d + '/'))) {
            try {
              if (statSync(path).isDirectory()) watchDir(path)
            } catch {
              // gone again
            }
          }
        })
      )
    } catch {
      // removed before it could be watched
    }
  }
  for (const dir of opts.watch?.dirs ?? []) watchDir(dir)
  const before = new Map<string, Set<string>>()
  for (const dir of opts.watch?.dirs ?? []) before.set(dir, new Set(readdirSync(dir)))

  const started = performance.now()
  const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stderr.on('data', (c: Buffer) => err.push(c))

  let peak = 0
  let peakBreakdown: RunResult['peakBreakdown'] = []
  let samples = 0
  let peakPss = 0
  const written = new Set<string>()
  const sample = (): void => {
    if (child.pid === undefined) return
    const tree = processTree(child.pid)
    if (tree.length === 0) return
    samples++
    const sum = tree.reduce((a, p) => a + p.rssBytes, 0)
    if (sum > peak) {
      peak = sum
      peakBreakdown = tree.map((p) => ({ comm: p.comm, rssBytes: p.rssBytes }))
    }
    // PSS and the descriptor scan cost more than the RSS read: every 4th sample (~200 ms). Frame
    // files would be written all through a run, so they cannot slip through.
    if (samples % 4 === 1) {
      peakPss = Math.max(peakPss, tree.reduce((a, p) => a + pssBytes(p.pid), 0))
      if (opts.watch) {
        for (const f of filesOpenForWriting(tree.map((p) => p.pid))) {
          written.add(f)
          seen(f)
        }
      }
    }
  }
  const timer = setInterval(sample, SAMPLE_MS)
  sample()

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c) => resolve(c))
  })
  const wallSeconds = (performance.now() - started) / 1000
  clearInterval(timer)
  // Let the last inotify events arrive.
  await new Promise((r) => setTimeout(r, 100))
  for (const w of watchers) w.close()

  const created: RunResult['created'] = []
  for (const path of createdNames) {
    const dir = path.slice(0, path.length - basename(path).length - 1)
    if (before.get(dir)?.has(basename(path))) continue
    let bytes: number | null
    try {
      const st = statSync(path)
      bytes = st.isDirectory() ? dirBytes(path) : st.size
    } catch {
      bytes = null
    }
    created.push({ path, bytes, maxBytes: Math.max(bytes ?? 0, maxSize.get(path) ?? 0) })
  }
  return {
    wallSeconds,
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    peakRssBytes: peak,
    peakBreakdown,
    peakPssBytes: peakPss,
    samples,
    created,
    writtenByTree: [...written],
    maxSize
  }
}

export function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size
  }
  return total
}
