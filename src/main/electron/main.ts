// The Electron shell: one locked-down window showing the renderer from app://, the IPC API, and
// nothing else. The work happens in services that run under plain Node too; this file only
// decides where things live and wires Electron's pieces to them.
//
// Projects live in Documents/Dwellmap, results of `dwellmap analyze` in userData/results; both
// can be overridden with --projects=DIR and --results=DIR (used by `dwellmap demo`).
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, dialog, session } from 'electron'
import { locateFfmpeg } from '../media/ffmpeg-locator'
import { CRASH_FREES_WITHIN_S, FolderLocked, lockFolder, type FolderLock } from '../runtime/folder-lock'
import { createAppService, type AppService } from '../services/app-service'
import { APP_ENTRY_URL } from '../services/shell-guards'
import { utilityWorkerLauncher } from './analysis-process'
import { registerDialogs } from './dialogs'
import { registerIpc, sendEvent } from './ipc'
import { registerAppScheme, serveRenderer } from './protocol'
import { loadWindowState, trackWindowState } from './window-state'

const rendererDir = join(import.meta.dirname, '../renderer')
const preloadPath = join(import.meta.dirname, '../preload/preload.cjs')
/** Built next to this bundle by electron-vite (out/main/worker.js). */
const workerPath = join(import.meta.dirname, 'worker.js')

let mainWindow: BrowserWindow | null = null
let service: AppService | null = null
let folderLock: FolderLock | null = null

function argument(name: string): string | null {
  const prefix = `--${name}=`
  const found = process.argv.find((a) => a.startsWith(prefix))
  return found ? resolve(found.slice(prefix.length)) : null
}

function createWindow(): BrowserWindow {
  const state = loadWindowState()
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 560,
    title: 'Dwellmap',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    }
  })
  trackWindowState(win)
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    win.show()
  })
  win.on('closed', () => {
    mainWindow = null
  })
  void win.loadURL(APP_ENTRY_URL)
  return win
}

/** No navigation, no new windows, no webviews, no permissions: the app shows only itself. */
function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

function focusWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

function startService(): AppService {
  const projectsRoot = argument('projects') ?? join(app.getPath('documents'), 'Dwellmap')
  const resultsRoot = argument('results') ?? join(app.getPath('userData'), 'results')
  mkdirSync(projectsRoot, { recursive: true })
  mkdirSync(resultsRoot, { recursive: true })
  // The single-instance lock keeps out a second app, not `dwellmap serve` on the same folder:
  // either would mark the other's running analyses as interrupted.
  try {
    folderLock = lockFolder(projectsRoot)
  } catch (error) {
    if (!(error instanceof FolderLocked)) throw error
    throw new Error(`Another Dwellmap is already using the projects folder ${projectsRoot}. Close it, then start Dwellmap again (after Dwellmap stopped unexpectedly, the folder is free again within ${CRASH_FREES_WITHIN_S} seconds).`, { cause: error })
  }
  const ff = locateFfmpeg(process.env.FFMPEG_PATH)
  console.log(`Dwellmap: projects in ${projectsRoot}, ffmpeg ${ff.ffmpeg} (${ff.source})`)
  return createAppService({
    projectsRoot,
    resultsRoot,
    ffmpeg: ff.ffmpeg,
    ffprobe: ff.ffprobe,
    launchWorker: utilityWorkerLauncher(workerPath),
    emit: (event) => sendEvent(mainWindow?.webContents, event)
  })
}

// A second launch hands over to the running one instead of opening another window.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Every renderer sandboxed, whatever its webPreferences say.
  app.enableSandbox()
  registerAppScheme()
  app.on('second-instance', focusWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // Running analyses are stopped and saved as interrupted before the app goes.
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !service) return
    event.preventDefault()
    quitting = true
    void service.dispose().finally(() => app.quit())
  })
  // After the analyses are saved as interrupted (before-quit), the folder is free again.
  app.on('will-quit', () => folderLock?.release())
  void app.whenReady().then(() => {
    lockDown()
    serveRenderer(rendererDir)
    try {
      service = startService()
    } catch (error) {
      dialog.showErrorBox('Dwellmap cannot start', error instanceof Error ? error.message : String(error))
      app.quit()
      return
    }
    registerIpc(service)
    registerDialogs()
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
}
