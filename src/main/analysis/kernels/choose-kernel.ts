// Picks the native kernel when the addon loads, else the TypeScript one, and says why.
import { typeScriptGhostTools, type GhostToolsMaker } from '../change-regions'
import { openCVGhostTools } from './opencv-change-regions'
import { OpenCVKernel, loadOpenCV } from './opencv-kernel'
import { TypeScriptKernel } from './typescript-kernel'
import type { Kernel, KernelConfig, KernelName } from './kernel'

export interface KernelPick {
  name: KernelName
  /** Why the native kernel was not used, when it was not. */
  fallbackReason: string | null
}

/** Which kernel runs, without building one (a kernel allocates frame-sized buffers). */
export function pickKernel(want: 'auto' | KernelName): KernelPick {
  if (want === 'typescript') return { name: 'typescript', fallbackReason: null }
  const cv = loadOpenCV()
  if ('cv' in cv) return { name: 'opencv', fallbackReason: null }
  if (want === 'opencv') throw new Error(`the OpenCV addon could not be loaded: ${cv.error}`)
  return { name: 'typescript', fallbackReason: `OpenCV addon unavailable (${cv.error})` }
}

export function createKernel(config: KernelConfig, want: 'auto' | KernelName): Kernel {
  const cv = pickKernel(want).name === 'opencv' ? loadOpenCV() : null
  return cv && 'cv' in cv ? new OpenCVKernel(cv.cv, config) : new TypeScriptKernel(config)
}

/**
 * The blur and change finder for work beside the kernel (the empty scene's ghost search):
 * OpenCV's where the kernel may use the addon and it loads, else the TypeScript ones (the same
 * results either way). The addon loads when the first tools are made, if not before.
 */
export function ghostToolsMaker(want: 'auto' | KernelName): GhostToolsMaker {
  return (width, height, blurSize) => {
    const cv = want === 'typescript' ? null : loadOpenCV()
    return (cv && 'cv' in cv ? openCVGhostTools(cv.cv) : typeScriptGhostTools)(width, height, blurSize)
  }
}
