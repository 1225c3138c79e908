// Synthetic CCTV footage with ground truth: what the analysis is tested and benchmarked on.
export { benchClip, DEMO_DAYS, frameCount, testClip, type ClipSpec } from './clip-spec'
export { figureBox, type Box } from './figure-raster'
export { FigureScript, type Figure } from './figures'
export { generateClip, type GeneratedClip } from './generate-clip'
export { FLOOR_PLANS, type Layout, type Spot } from './layout'
