// What to do about a problem, in plain words. The app names what is wrong; this adds the next step.

/** A clip's file gone from where it was added: the probe's "file not found", ffmpeg's ENOENT text, the engine's "gone". */
const MISSING = /no such file|file not found|enoent|does not exist|is gone|moved or deleted/
/** The moved-or-deleted file's remedy, for a clip row, a failed analysis and a preview alike. */
const MOVED = 'The file was moved or deleted. Put it back, or remove it from the day’s footage and add it again from where it is now.'

/** A clip that cannot be used: what the owner can do about it. */
export function clipAdvice(problem: string): string {
  const p = problem.toLowerCase()
  if (MISSING.test(p)) return MOVED
  if (/permission|eacces|eperm|access/.test(p)) {
    return 'Dwellmap may not read this file. Copy it to a folder of your own (Documents, for example) and add the copy.'
  }
  // A clip of another picture size than the day's (clip-import's checkSizes, the engine's day check).
  if (/another camera|size|resolution|width|height|different/.test(p)) {
    return 'A project is one camera, and all of a day’s clips must show its view. Remove this clip here; if it is from another camera, add it to that camera’s project.'
  }
  if (/no video|audio|stream/.test(p)) {
    return 'This file has no pictures in it. Remove it; if it should have video, export it again from the recorder.'
  }
  if (/length|duration|empty|short|truncat|incomplete/.test(p)) {
    return 'The file looks cut off, perhaps still being copied. Wait for the copy to finish, or export it again from the recorder, then add it again.'
  }
  return 'Check that the file plays in a video player. If it does not, export it again from the recorder; if it does, convert it to MP4 and add the copy. Or remove it: the other clips still work.'
}

/** A failed analysis: the app's message names the clip; this adds what to try. */
export function analysisAdvice(message: string): string {
  const p = message.toLowerCase()
  if (/ffmpeg|ffprobe/.test(p) && /not found|enoent|locate/.test(p)) {
    return 'Dwellmap cannot find its video tools. Reinstall Dwellmap, or set the path to ffmpeg in its settings.'
  }
  if (MISSING.test(p)) return `${MOVED} Then press Analyse this day again.`
  if (/space|enospc|disk/.test(p)) return 'The disk is full. Free some space, then press Analyse this day again.'
  if (/memory/.test(p)) return 'The computer ran out of memory. Close other programs, choose Speed: Fast, and try again.'
  if (/reference|empty scene|background/.test(p)) {
    return 'Go back to step 2 and choose another empty scene (or build one automatically), then try again.'
  }
  return 'If the message names a clip, check that it plays in a video player, or remove it from the day’s footage, then press Analyse this day again.'
}
