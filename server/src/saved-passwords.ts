/**
 * The passwords the editor saved, handed over in the server's environment
 * (protocol.ts SAVED_PASSWORDS_ENV) instead of a message, so no LSP trace can
 * show them. A malformed value is logged by its shape only, never its text.
 */
export function savedPasswords(raw: string | undefined, log: (m: string) => void): Map<string, string> {
  const byServer = new Map<string, string>();
  if (!raw) return byServer;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    log('The saved passwords from the editor could not be read (not JSON); connecting without them.');
    return byServer;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return byServer;
  for (const [key, password] of Object.entries(parsed)) if (typeof password === 'string') byServer.set(key, password);
  return byServer;
}
