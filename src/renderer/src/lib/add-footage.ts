// Adding a day's footage, however many files: folders are opened here so that their files can
// be counted, then the files go to the app a batch at a time (each probed and saved before the
// next), so the owner sees a count and the clips appear as they are read. One request for all
// of them hit the request limit at 500 files (a 10-hour day of one-minute clips is 600), and
// 510 files took two minutes behind a fixed message.
import { ADD_CLIPS_MAX, type AppApi } from '../../../shared/app-api'
import type { Project } from '../../../shared/project'

/** Files per request: about 5 s of probing (0.24 s a file here), so the count moves. */
export const ADD_BATCH = Math.min(20, ADD_CLIPS_MAX)

export interface AddProgress {
  done: number
  total: number
}

/**
 * The files behind `paths`: a folder's videos (as the app lists them), anything else as given.
 * Folders without videos are kept only when nothing else is added, for the app to say so.
 */
export async function filesOf(api: Pick<AppApi, 'browse'>, paths: string[]): Promise<string[]> {
  const empty: string[] = []
  const found = await Promise.all(
    paths.map(async (path) => {
      // Not a folder that can be listed (a file, or a folder that cannot be read): the app
      // probes it, or says what is wrong with it.
      const listing = await api.browse(path).catch(() => null)
      if (!listing) return [path]
      const videos = listing.entries.filter((e) => e.kind === 'video').map((e) => e.path)
      if (videos.length === 0) empty.push(path)
      return videos
    })
  )
  const files = found.flat()
  return files.length > 0 ? files : empty
}

/**
 * Adds `files` to a day in batches; `onbatch` gets the project and the count after each one. A
 * failure stops there (the batches before it stay added) and is thrown as it came.
 */
export async function addInBatches(
  api: Pick<AppApi, 'addClips'>,
  projectId: string,
  dayId: string,
  files: string[],
  onbatch: (project: Project, progress: AddProgress) => void
): Promise<Project | undefined> {
  let project: Project | undefined
  for (let done = 0; done < files.length; ) {
    const batch = files.slice(done, done + ADD_BATCH)
    project = await api.addClips(projectId, dayId, batch)
    done += batch.length
    onbatch(project, { done, total: files.length })
  }
  return project
}
