// cv::blur on grey pictures held in plain arrays: ~0.1 ms at 640x360 against ~2.7 ms for the
// TypeScript box blur (same bytes, tested), for the automatic empty scene's ghost search, which
// blurs its 31 frames while the decoder waits for the empty scene.
import type * as OpenCV from '@u4/opencv4nodejs'
import type { GrayBlur } from './box-blur'

type CV = typeof OpenCV

export class OpenCVBlur implements GrayBlur {
  private readonly picture: OpenCV.Mat
  private readonly size: OpenCV.Size
  private readonly anchor: OpenCV.Point2

  constructor(private readonly cv: CV, readonly width: number, readonly height: number, size: number) {
    if (size % 2 !== 1) throw new Error('blur size must be odd')
    this.picture = new cv.Mat(height, width, cv.CV_8UC1)
    this.size = new cv.Size(size, size)
    this.anchor = new cv.Point2(-1, -1)
  }

  apply(src: Uint8Array, dst: Uint8Array): void {
    this.picture.setData(Buffer.from(src.buffer, src.byteOffset, this.width * this.height))
    const blurred = this.picture.blur(this.size, this.anchor, this.cv.BORDER_REFLECT_101)
    try {
      dst.set(blurred.getData())
    } finally {
      blurred.release()
    }
  }
}
