// The results views, for the app shell to mount: one analysed day, and two days compared.
export { default as DayResults } from './DayResults.svelte'
export { default as CompareDays } from './CompareDays.svelte'
