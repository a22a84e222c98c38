import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError, fromEnvelope, toEnvelope } from '../../../main/core/errors';
import { normalizeError, openstackErrorBody } from '../../../main/api/openstack/errors';

test('errors cross boundaries as envelopes and come back whole', () => {
  const e = new DeskError('NotFound', 'Instance x could not be found.', { kind: 'server' });
  const back = fromEnvelope(JSON.parse(JSON.stringify(toEnvelope(e))));
  assert.equal(back.code, 'NotFound');
  assert.equal(back.status, 404);
  assert.deepEqual(back.details, { kind: 'server' });
  assert.deepEqual(toEnvelope(new Error('boom')), { code: 'Internal', message: 'boom' });
});

test('OpenStack error bodies per service', () => {
  const nf = new DeskError('NotFound', 'Instance x could not be found.');
  assert.deepEqual(openstackErrorBody('nova', nf), { itemNotFound: { code: 404, message: 'Instance x could not be found.' } });
  assert.deepEqual(openstackErrorBody('keystone', nf), { error: { code: 404, title: 'Not Found', message: 'Instance x could not be found.' } });
  assert.equal((openstackErrorBody('neutron', nf) as { NeutronError: { type: string } }).NeutronError.type, 'HTTPNotFound');
  assert.equal(normalizeError({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'x' }).code, 'BadRequest');
  assert.equal(normalizeError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }).code, 'PayloadTooLarge');
  assert.equal(normalizeError(new TypeError('oops')).code, 'Internal');
});
