/** The error a promise rejects with, for asserting its code, message and hint; fails if it resolves. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (err) {
    return err as Error & { code?: string; hint?: string }
  }
  throw new Error('expected a failure')
}
