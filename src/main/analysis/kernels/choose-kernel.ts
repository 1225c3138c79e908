// Picks the native kernel when the addon loads, else the TypeScript one, and says why.
import { OpenCVKernel, loadOpenCV } from './opencv-kernel'
import { TypeScriptKernel } from './typescript-kernel'
import type { Kernel, KernelConfig } from './kernel'

export interface KernelChoice {
  kernel: Kernel
  /** Why the native kernel was not used, when it was not. */
  fallbackReason: string | null
}

export function createKernel(config: KernelConfig, want: 'auto' | 'opencv' | 'typescript'): KernelChoice {
  if (want === 'typescript') return { kernel: new TypeScriptKernel(config), fallbackReason: null }
  const cv = loadOpenCV()
  if ('cv' in cv) return { kernel: new OpenCVKernel(cv.cv, config), fallbackReason: null }
  if (want === 'opencv') throw new Error(`the OpenCV addon could not be loaded: ${cv.error}`)
  return { kernel: new TypeScriptKernel(config), fallbackReason: `OpenCV addon unavailable (${cv.error})` }
}
