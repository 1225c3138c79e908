import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const main = (file: string): string => resolve(import.meta.dirname, 'src/main', file)

export default defineConfig({
  main: {
    build: {
      // zod is bundled, not loaded from node_modules: each Node process (CLI, analysis worker)
      // starts ~0.07 s sooner than when it resolves and loads the package's many files (measured).
      externalizeDeps: { exclude: ['zod'] },
      rolldownOptions: {
        // One build, several Node entry points: the Electron shell, the analysis worker (forked as
        // a utilityProcess or a child process), and the CLI that plain Node runs.
        input: {
          index: main('electron/main.ts'),
          worker: main('analysis/worker.ts'),
          cli: main('cli/index.ts')
        },
        // Shared modules sit beside the entry points, so that a module that finds the built
        // pieces from its own location (cli/paths.ts) finds them wherever it was bundled.
        output: { chunkFileNames: '[name]-[hash].js' }
      }
    }
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { preload: main('electron/preload.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [svelte()],
    build: {
      // Plotly is large: minified, the renderer loads in half the time.
      minify: true,
      rolldownOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') }
    }
  }
})
