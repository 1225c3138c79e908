// The Electron shell: one locked-down window showing the renderer from app://, the IPC API, and
// nothing else. The work happens in services that run under plain Node too.
import { join } from 'node:path'
import { app, BrowserWindow, session } from 'electron'
import { APP_ENTRY_URL } from '../services/shell-guards'
import { registerIpc } from './ipc'
import { registerAppScheme, serveRenderer } from './protocol'

const rendererDir = join(import.meta.dirname, '../renderer')
const preloadPath = join(import.meta.dirname, '../preload/preload.cjs')

let mainWindow: BrowserWindow | null = null

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
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
  win.once('ready-to-show', () => win.show())
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
  void app.whenReady().then(() => {
    lockDown()
    serveRenderer(rendererDir)
    registerIpc(join(app.getPath('userData'), 'results'))
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
}
