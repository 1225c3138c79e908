// Binaries cannot run from inside a packaged app's asar archive; electron-builder unpacks them
// beside it (asarUnpack), so paths that point into app.asar are redirected there.
export function unpackedPath(path: string): string {
  return path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
}
