// Where keyboard focus goes when the control that had it goes away. A button that is removed or
// disabled leaves focus on <body>, and the next Tab starts again from the top of the window: these
// helpers put it somewhere sensible instead, and never take it from where the owner moved it.

/** True when nothing has focus: the focused control was removed or disabled. */
export function focusLost(): boolean {
  const active = document.activeElement
  return active === null || active === document.body || active === document.documentElement
}

/** Focuses `target` when focus was lost, or sits on one of `also` (the control that just acted). */
export function rescueFocus(target: HTMLElement | null | undefined, ...also: Array<Element | null | undefined>): boolean {
  if (!target || !target.isConnected) return false
  const active = document.activeElement
  if (!focusLost() && !also.some((e) => e && e === active)) return false
  target.focus()
  return document.activeElement === target
}

/**
 * Waits for an element matching `selector` to appear under `root` (a page that shows its heading
 * only once its data has loaded), at most `timeoutMs`; null when it did not, or when `cancelled`.
 */
export function whenShown(root: ParentNode & Node, selector: string, timeoutMs: number, cancelled: () => boolean = () => false): Promise<HTMLElement | null> {
  const now = root.querySelector<HTMLElement>(selector)
  if (now) return Promise.resolve(now)
  return new Promise((resolve) => {
    const done = (element: HTMLElement | null): void => {
      observer.disconnect()
      clearTimeout(timer)
      resolve(element)
    }
    const observer = new MutationObserver(() => {
      if (cancelled()) return done(null)
      const found = root.querySelector<HTMLElement>(selector)
      if (found) done(found)
    })
    observer.observe(root, { childList: true, subtree: true })
    const timer = setTimeout(() => done(null), timeoutMs)
  })
}
