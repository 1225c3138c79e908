// cv::blur on grey pictures held in plain arrays, for the automatic empty scene's ghost search,
// which blurs its 31 frames while the decoder waits for the empty scene: ~0.3 ms a 640x360 frame
// against ~1.4 ms for the TypeScript box blur warm and ~15 ms for its first, cold call (the same
// bytes, tested).
import type * as OpenCV from '@u4/opencv4nodejs'
import type { GrayBlur } from './box-blur'

type CV = typeof OpenCV

export class OpenCVBlur implements GrayBlur {
  private readonly size: OpenCV.Size
  private readonly anchor: OpenCV.Point2

  constructor(private readonly cv: CV, readonly width: number, readonly height: number, size: number) {
    if (size % 2 !== 1) throw new Error('blur size must be odd')
    this.size = new cv.Size(size, size)
    this.anchor = new cv.Point2(-1, -1)
  }

  apply(src: Uint8Array, dst: Uint8Array): void {
    const { cv, width, height } = this
    // Matrices over the arrays' own memory (no copy in; getData's copy out costs ~0.8 ms here),
    // released before this returns, while the arrays are certainly alive.
    const over = (a: Uint8Array): OpenCV.Mat => new cv.Mat(height, width, cv.CV_8UC1, Buffer.from(a.buffer, a.byteOffset, width * height))
    const source = over(src)
    const target = over(dst)
    const blurred = source.blur(this.size, this.anchor, cv.BORDER_REFLECT_101)
    try {
      // Same size and type: copyTo writes into the target's memory, which is dst's.
      blurred.copyTo(target)
    } finally {
      blurred.release()
      source.release()
      target.release()
    }
  }
}
