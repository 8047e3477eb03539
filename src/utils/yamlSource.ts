import { readFileSync } from 'node:fs'
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml'
import { InputFileNotFoundError, type InputIssue, InvalidInputFileError } from '../errors/input.js'

export type PathSegment = string | number

/**
 * A parsed YAML file that remembers where every node came from, so a schema error on
 * `actions[1].amount` can be reported at the line and column a person has to edit.
 */
export type YamlSource = {
  file: string
  text: string
  data: unknown
  /** Line and column (1-based) of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PathSegment[]): { line: number; column: number }
  issue(path: readonly PathSegment[], message: string): InputIssue
}

export const formatPath = (path: readonly PathSegment[]) =>
  path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  )

export function readYamlFile(file: string, what = 'YAML file'): YamlSource {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new InputFileNotFoundError(file, what)
  }
  return parseYamlSource(file, text)
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter()
  // uniqueKeys: a repeated key in a signed action file is ambiguous, so it is an error, not "last wins".
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true })
  const pos = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (doc.errors.length > 0) {
    throw new InvalidInputFileError(
      file,
      doc.errors.map((e) => ({
        file,
        ...pos(e.pos[0]),
        field: '',
        message: `YAML syntax: ${firstLine(e.message)}`,
      })),
      'YAML syntax',
    )
  }
  const locate = (path: readonly PathSegment[]) => {
    const node = nearestNode(doc, path)
    return node?.range ? pos(node.range[0]) : { line: 1, column: 1 }
  }
  return {
    file,
    text,
    data: doc.toJS({ maxAliasCount: 100 }),
    locate,
    issue: (path, message) => ({ file, ...locate(path), field: formatPath(path), message }),
  }
}

function nearestNode(doc: Document, path: readonly PathSegment[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n)
    const node = doc.getIn(prefix, true) as Node | undefined
    if (node && typeof node === 'object' && 'range' in node) return node
    // A key that exists with an empty value, or an unknown key: point at the key itself.
    if (n > 0) {
      const parent = doc.getIn(path.slice(0, n - 1), true)
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[n - 1])
        if (pair && isScalar(pair.key)) return pair.key
      }
    }
  }
  return doc.contents ?? undefined
}

const firstLine = (s: string) => s.split('\n')[0] ?? s
