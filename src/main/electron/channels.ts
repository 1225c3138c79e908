// IPC channel names, shared by the preload and the main process. Kept in a module with no
// imports at all: the sandboxed preload is bundled alone and can require nothing but electron.
export const CHANNELS = {
  listResults: 'results:list',
  getResult: 'results:get'
} as const
