// The Dropbox Sign reference's JSON examples (shared/reference/dropbox-sign/examples/json/),
// from the shared folder beside the checkout (or beside a git worktree one level deeper).

import { existsSync, readFileSync } from 'node:fs';

const EXAMPLES = ['../../../shared/', '../../../../shared/']
  .map((up) => new URL(`${up}reference/dropbox-sign/examples/json/`, import.meta.url))
  .find((url) => existsSync(url));

/** The parsed example `name` (e.g. "UnclaimedDraftCreateRequest.json"); throws when missing. */
export function specExample(name) {
  if (!EXAMPLES) throw new Error('shared/reference/dropbox-sign not found beside the checkout');
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'));
}
