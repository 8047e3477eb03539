/**
 * Runs `fn` over `items` with at most `limit` in flight; results keep the order of `items`. On the first
 * failure no new item is started, the ones in flight are awaited (so what they write is whole), and the
 * failure is thrown.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  let failure: { err: unknown } | undefined
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++
      try {
        results[i] = await fn(items[i]!, i)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (failure) throw failure.err
  return results
}
