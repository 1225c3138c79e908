// What to do about a problem, in plain words. The app names what is wrong; this adds the next step.

/** A clip that cannot be used: what the owner can do about it. */
export function clipAdvice(problem: string): string {
  const p = problem.toLowerCase()
  if (/no such file|not found|enoent|missing|moved|does not exist/.test(p)) {
    return 'The file is not where it was. Put it back, or remove it here and add it again from its new place.'
  }
  if (/permission|eacces|eperm|access/.test(p)) {
    return 'Dwellmap may not read this file. Copy it to a folder of your own (Documents, for example) and add the copy.'
  }
  if (/size|resolution|width|height|different/.test(p)) {
    return 'All clips of a day must come from the same camera with the same picture size. Remove this one, or put it in a day of its own.'
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
  if (/space|enospc|disk/.test(p)) return 'The disk is full. Free some space, then press Analyse this day again.'
  if (/memory/.test(p)) return 'The computer ran out of memory. Close other programs, choose Speed: Fast, and try again.'
  if (/reference|empty scene|background/.test(p)) {
    return 'Go back to step 2 and choose another empty scene (or build one automatically), then try again.'
  }
  return 'If the message names a clip, check that it plays in a video player, or remove it from the day’s footage, then press Analyse this day again.'
}
