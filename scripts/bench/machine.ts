// What the figures were measured on, from /proc: they mean little without it.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  memTotalMB: number
  memAvailableMB: number
  loadAverage: [number, number, number]
  node: string
  ffmpeg: string
  kernel: string
}

function meminfo(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number)
  return [a, b, c]
}

export function machine(ffmpeg: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown cpu'
  const ffv = spawnSync(ffmpeg, ['-hide_banner', '-version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'unknown'
  return {
    cpu: model,
    cores: availableParallelism(),
    memTotalMB: meminfo('MemTotal'),
    memAvailableMB: meminfo('MemAvailable'),
    loadAverage: loadAverage(),
    node: process.version,
    ffmpeg: ffv.replace(/ Copyright.*/, ''),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
  }
}

/** A load average above the number of cores means other work competed for the CPU. */
export function loadNote(load: number, cores: number): string {
  return load > cores ? `HIGH (${load.toFixed(2)} on ${cores} cores: other work competed for the CPU, figures are pessimistic)` : `${load.toFixed(2)} on ${cores} cores`
}
