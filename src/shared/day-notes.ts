// The notes the app keeps for the owner in a day's `analysis.message`: written by the services,
// recognised by the renderer (lib/day-notice.ts), so both use these very words.

/** A finished day whose clips, empty scene, settings or mask changed after it was analysed. */
export const STALE_NOTE = 'The clips, settings or mask changed after this analysis; analyse the day again to bring it up to date.'

/** The picked empty-scene frame went with its clip; put before any other note of the day. */
export const REFERENCE_LOST_NOTE = 'The empty-scene frame you picked was in a clip that is no longer in this day: the empty scene will be built automatically.'

/** An analysis the app was closed during. */
export const INTERRUPTED_NOTE = 'Dwellmap was closed during this analysis; start it again to continue.'

/** The notes joined in one message, each on its own: the lost-frame note comes first. */
export function splitNotes(message: string): string[] {
  const text = message.trim()
  if (!text.startsWith(REFERENCE_LOST_NOTE)) return text ? [text] : []
  const rest = text.slice(REFERENCE_LOST_NOTE.length).trim()
  return rest ? [REFERENCE_LOST_NOTE, rest] : [REFERENCE_LOST_NOTE]
}
