// The renderer's components rendered to HTML in Node, for the renderer tests: Svelte's server
// renderer, through Vite with the Svelte plugin, as the app is built.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { createServer } from 'vite'
import type { Component } from 'svelte'
import type { render as Render } from 'svelte/server'

export interface SvelteSsr {
  /** The default export of a component, by its path under src/renderer ('/src/components/...'). */
  component(path: string): Promise<Component<Record<string, unknown>>>
  render: typeof Render
  /** Stops Vite and removes its cache. */
  close(): Promise<void>
}

/** `alias`: modules replaced for this renderer, e.g. Plotly, which needs a browser to load. */
export async function startSvelteSsr(options: { alias?: Record<string, string> } = {}): Promise<SvelteSsr> {
  // No pre-bundling, not even of Svelte itself (the plugin adds it): in a fresh cache that took
  // 1.5-3.5 s, as long as the rest. The plugin still writes a file into the cache: a folder of
  // this run's own, removed at the end, so no cache of the app's build or dev server is touched.
  const cacheDir = await mkdtemp(join(tmpdir(), 'dwellmap-ssr-vite-'))
  const vite = await createServer({
    configFile: false,
    logLevel: 'silent',
    root: new URL('../../src/renderer', import.meta.url).pathname,
    plugins: [svelte({ compilerOptions: { hmr: false } })],
    resolve: { alias: options.alias ?? {} },
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
    cacheDir,
    ssr: { optimizeDeps: { noDiscovery: true, include: [], exclude: ['svelte'] } },
    optimizeDeps: { noDiscovery: true, include: [], exclude: ['svelte'] }
  }).catch(async (error: unknown) => {
    await rm(cacheDir, { recursive: true, force: true })
    throw error
  })
  const close = async (): Promise<void> => {
    await vite.close()
    await rm(cacheDir, { recursive: true, force: true })
  }
  try {
    // Through Vite as well: one copy of Svelte for the components and their renderer.
    const { render } = (await vite.ssrLoadModule('svelte/server')) as { render: typeof Render }
    const component = async (path: string): Promise<Component<Record<string, unknown>>> =>
      ((await vite.ssrLoadModule(path)) as { default: Component<Record<string, unknown>> }).default
    return { component, render, close }
  } catch (error) {
    await close()
    throw error
  }
}
