/** Scheme, host and port only: hosted RPC URLs carry API keys in the path or query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    const hidden = u.pathname.length > 1 || u.search || u.username
    // Some providers put the key in a subdomain: a long label mixing letters and digits goes too.
    const host = u.host
      .split('.')
      .map((label) => (label.length >= 20 && /\d/.test(label) && /[a-z]/i.test(label) ? '…' : label))
      .join('.')
    return `${u.protocol}//${host}${hidden ? '/…' : ''}`
  } catch {
    return 'the RPC'
  }
}
