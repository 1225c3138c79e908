// Lines of an ffconcat script, the way both the preview processes and the empty-scene grab
// name clips in them. Absolute `file:` URLs, because relative names would be resolved against
// where the script came from (a pipe, a data: URL); quotes escaped as ffmpeg's parser wants.

/** The `file` line for a clip, or null for a path no script can carry (line breaks, NUL). */
export function concatFileLine(path: string): string | null {
  if (/[\r\n\0]/.test(path)) return null
  return `file 'file:${path.replace(/'/g, "'\\''")}'`
}
