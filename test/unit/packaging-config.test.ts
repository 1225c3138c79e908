// electron-builder cannot package here (no Electron binary), but its own schema check can run:
// a typo in electron-builder.yml fails CI instead of the release machine.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
type Config = Record<string, unknown>
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Config>
  validateConfiguration(config: Config, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
// The matcher electron-builder applies its file patterns with.
const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch') as { minimatch: (path: string, pattern: string) => boolean }

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    const config = await getConfig(process.cwd(), null, null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('unpacks the native parts from the asar and targets the three platforms', async () => {
    const config = (await getConfig(process.cwd(), null, null)) as { asarUnpack: string[]; win: { target: string }; mac: { target: string }; linux: { target: string[] } }
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/ffmpeg-static/**', 'node_modules/ffprobe-static/bin/**', 'node_modules/@u4/opencv4nodejs/build/Release/*.node']))
    expect(config.win.target).toBe('nsis')
    expect(config.mac.target).toBe('dmg')
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
  })

  it('leaves the other platforms\' ffprobe binaries out of each installer', async () => {
    const config = (await getConfig(process.cwd(), null, null)) as Record<'win' | 'mac' | 'linux', { files: string[] }>
    const binary = (platform: string): string => `node_modules/ffprobe-static/bin/${platform}/x64/ffprobe`
    const left = (key: 'win' | 'mac' | 'linux'): string[] =>
      ['darwin', 'linux', 'win32'].filter((p) => !config[key].files.some((f) => f.startsWith('!') && minimatch(binary(p), f.slice(1))))
    expect(left('win')).toEqual(['win32'])
    expect(left('mac')).toEqual(['darwin'])
    expect(left('linux')).toEqual(['linux'])
  })

  it('would reject a misspelt option (the check is real)', async () => {
    const config = { ...(await getConfig(process.cwd(), null, null)), asarUnpak: ['x'] }
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/asarUnpak/)
  })
})
