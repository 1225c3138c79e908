// Renders frame i of a clip into a caller's RGB24 buffer. The scene is painted once and relit
// only when the gain changes; each frame is then a copy of the lit scene plus the few people.
import type { ClipSpec } from './clip-spec'
import { rasterFigure } from './figure-raster'
import { FigureScript, type Figure } from './figures'
import { gainTable, lightingGain } from './lighting'
import { renderScene } from './scene'

export class FrameRenderer {
  readonly script: FigureScript
  private readonly scene: Buffer
  private readonly litScene: Buffer
  private gain = Number.NaN
  private table = gainTable(1)

  constructor(private readonly spec: ClipSpec) {
    this.script = new FigureScript(spec)
    this.scene = renderScene(spec.width, spec.height, spec.layout)
    this.litScene = Buffer.alloc(this.scene.length)
  }

  get frameBytes(): number {
    return this.scene.length
  }

  /** Fills target with frame i and returns the people drawn in it. */
  render(frame: number, target: Buffer): Figure[] {
    const { width, height } = this.spec
    this.relight(lightingGain(this.spec, frame))
    this.litScene.copy(target)
    const table = this.table
    const figures = this.script.at(frame)
    for (const figure of figures) {
      rasterFigure(figure, width, height, (y, x0, x1, color) => {
        const r = table[color[0]]
        const g = table[color[1]]
        const b = table[color[2]]
        for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
          target[i] = r
          target[i + 1] = g
          target[i + 2] = b
        }
      })
    }
    return figures
  }

  private relight(gain: number): void {
    if (gain === this.gain) return
    this.gain = gain
    this.table = gainTable(gain)
    const { scene, litScene, table } = this
    for (let i = 0; i < scene.length; i++) litScene[i] = table[scene[i]]
  }
}
