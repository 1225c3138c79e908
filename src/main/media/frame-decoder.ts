// A running ffmpeg that writes raw frames, and the private socket it writes them to where the
// platform has one (frame-socket.ts), else its stdout. Light on imports: the worker starts one
// before it loads the engine (warm-fed-decoder.ts).
import { openFrameSocket, type FrameSocket } from './frame-socket'
import { spawnTool, type SpawnedTool, type SpawnOptions } from './processes'

/** A running ffmpeg writing raw frames, and the socket they come through (null: its stdout). */
export type FrameDecoder = { stop(): void } & ({ tool: SpawnedTool; socket: null } | { tool: SpawnedTool<null>; socket: FrameSocket })

/** Starts ffmpeg writing raw frames to a private socket where there is one, else to its stdout. */
export async function startFrameDecoder(ffmpeg: string, args: string[], options: Omit<SpawnOptions, 'stdout'> = {}): Promise<FrameDecoder> {
  const socket = await openFrameSocket()
  if (socket === null) {
    const tool = spawnTool(ffmpeg, args, options)
    return { tool, socket, stop: () => tool.child.kill() }
  }
  let tool: SpawnedTool<null>
  try {
    tool = spawnTool(ffmpeg, args, { ...options, stdout: socket.childEnd })
  } catch (err) {
    // A reader left open would wait for ffmpeg's end for ever (and keep the process alive).
    socket.reader.destroy()
    throw err
  }
  return {
    tool,
    socket,
    stop: () => {
      tool.child.kill()
      socket.reader.destroy()
    }
  }
}
