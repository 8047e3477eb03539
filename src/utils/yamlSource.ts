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
  /**
   * Line and column (1-based) of the node at `path`, or of its nearest existing ancestor. With
   * `at: 'key'` it is the key of the last path segment (an unknown or duplicated field).
   */
  locate(path: readonly PathSegment[], at?: 'value' | 'key'): { line: number; column: number }
  issue(path: readonly PathSegment[], message: string, at?: 'value' | 'key'): InputIssue
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
  // No hex integers: YAML 1.2 reads an unquoted 0x… as a number, and here 0x… is always an address or bytes.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    customTags: (tags) =>
      tags.filter((t) => !(typeof t === 'object' && t.tag === 'tag:yaml.org,2002:int' && t.format === 'HEX')),
  })
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
  const locate = (path: readonly PathSegment[], at: 'value' | 'key' = 'value') => {
    const node = (at === 'key' ? keyNode(doc, path) : undefined) ?? nearestNode(doc, path)
    return node?.range ? pos(node.range[0]) : { line: 1, column: 1 }
  }
  return {
    file,
    text,
    data: doc.toJS({ maxAliasCount: 100 }),
    locate,
    issue: (path, message, at) => ({ file, ...locate(path, at), field: formatPath(path), message }),
  }
}

function nearestNode(doc: Document, path: readonly PathSegment[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined
    if (node && typeof node === 'object' && 'range' in node) return node
    // A key that exists with an empty value: point at the key itself.
    const key = n > 0 ? keyNode(doc, path.slice(0, n)) : undefined
    if (key) return key
  }
  return doc.contents ?? undefined
}

/** The key node of the last segment of `path`, when its parent is a mapping that has it. */
function keyNode(doc: Document, path: readonly PathSegment[]): Node | undefined {
  if (path.length === 0) return undefined
  const parent = doc.getIn(path.slice(0, -1), true)
  if (!isMap(parent)) return undefined
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1])
  return pair && isScalar(pair.key) ? pair.key : undefined
}

const firstLine = (s: string) => s.split('\n')[0] ?? s
