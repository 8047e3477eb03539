import type { z } from 'zod'
import type { InputIssue } from '../errors/input.js'
import type { PathSegment, YamlSource } from './yamlSource.js'

/** Turns zod issues into issues pinned to the YAML source, prefixing `basePath` (where the value sat). */
export function zodIssues(
  source: YamlSource,
  error: z.ZodError,
  basePath: readonly PathSegment[] = [],
): InputIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [...basePath, ...(issue.path as PathSegment[])]
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => source.issue([...path, key], `unknown field "${key}"`, 'key'))
    }
    return [source.issue(path, issue.message)]
  })
}
