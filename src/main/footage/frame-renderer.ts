// Renders frame i of a clip as yuv420p into a caller's buffer. The scene is painted once and
// converted again only when the lighting gain changes; each frame is then a copy of the lit
// scene plus the few people, drawn straight into the planes.
import type { ClipSpec } from './clip-spec'
import { rasterFigure } from './figure-raster'
import { FigureScript, type Figure } from './figures'
import { gainTable, lightingGain } from './lighting'
import { renderScene } from './scene'
import { rgb24ToYuv420p, rgbToYuv, yuv420pBytes } from './yuv'

export class FrameRenderer {
  readonly script: FigureScript
  readonly frameBytes: number
  private readonly scene: Buffer
  private readonly litScene: Buffer
  private gain = Number.NaN
  private table = gainTable(1)

  constructor(private readonly spec: ClipSpec) {
    this.script = new FigureScript(spec)
    this.scene = renderScene(spec.width, spec.height, spec.layout)
    this.frameBytes = yuv420pBytes(spec.width, spec.height)
    this.litScene = Buffer.alloc(this.frameBytes)
  }

  /** Fills target with frame i and returns the people drawn in it. */
  render(frame: number, target: Buffer): Figure[] {
    const { width, height } = this.spec
    this.relight(lightingGain(this.spec, frame))
    this.litScene.copy(target)
    const table = this.table
    const chromaWidth = width / 2
    const uPlane = width * height
    const vPlane = uPlane + chromaWidth * (height / 2)
    const figures = this.script.at(frame)
    for (const figure of figures) {
      rasterFigure(figure, width, height, (y, x0, x1, [r, g, b]) => {
        const [luma, u, v] = rgbToYuv(table[r], table[g], table[b])
        target.fill(luma, y * width + x0, y * width + x1)
        // Chroma has half the resolution: the block that holds a person's pixel takes their colour.
        const row = (y >> 1) * chromaWidth
        target.fill(u, uPlane + row + (x0 >> 1), uPlane + row + ((x1 + 1) >> 1))
        target.fill(v, vPlane + row + (x0 >> 1), vPlane + row + ((x1 + 1) >> 1))
      })
    }
    return figures
  }

  private relight(gain: number): void {
    if (gain === this.gain) return
    this.gain = gain
    this.table = gainTable(gain)
    rgb24ToYuv420p(this.scene, this.spec.width, this.spec.height, this.table, this.litScene)
  }
}
