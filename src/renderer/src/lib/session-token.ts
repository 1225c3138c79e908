// The browser host's access token arrives in the address fragment (#token=...), which browsers
// never send to a server or in a Referer. Keep it for this tab only and take it out of the
// address bar so it is not bookmarked, shared in a screenshot, or left in history.
const STORAGE_KEY = 'dwellmap.token'

export function takeSessionToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match) {
    sessionStorage.setItem(STORAGE_KEY, match[1])
    history.replaceState(history.state, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(STORAGE_KEY)
}
