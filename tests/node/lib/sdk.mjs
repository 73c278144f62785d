// Assertions on the official SDK's (@dropbox/sign) failures.

import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';

/**
 * Awaits `call` (an SDK call's promise, or a function returning one), expects the SDK's
 * HttpError with `status`, and returns the parsed error (null for binary endpoints). With
 * `errorName`, the body must parse as an ErrorResponse with that name and a message; with
 * `errorPath`, its error_path must be that.
 */
export async function expectHttpError(call, status, errorName, errorPath) {
  let caught;
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, 'the SDK call should have failed');
  assert.ok(caught instanceof DropboxSign.HttpError, `an HttpError, got ${caught?.name}: ${caught?.message}`);
  assert.equal(caught.statusCode, status, `status; body ${JSON.stringify(caught.body)}`);
  const err = caught.body?.error;
  if (errorName) {
    assert.ok(err, `parsed ErrorResponse in ${JSON.stringify(caught.body)}`);
    assert.equal(err.errorName, errorName);
    assert.equal(typeof err.errorMsg, 'string');
  }
  if (errorPath) assert.equal(err?.errorPath, errorPath, JSON.stringify(caught.body));
  return err ?? null;
}
