// IPC channel names, shared by the preload and the main process. Kept in a module with no
// imports at all: the sandboxed preload is bundled alone and can require nothing but electron.
export const CHANNELS = {
  /** invoke(method, args): one call of the AppApi table. */
  call: 'dwellmap:call',
  /** main -> renderer: one AppEvent. */
  event: 'dwellmap:event',
  /** invoke(kind): the native open dialog for footage files or folders; answers the paths picked. */
  pick: 'dwellmap:pick'
} as const
