import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { startTestApp, type TestApp } from './support/app';
import { CreateOwnerDocument, MeDocument, OwnerByIdDocument, RotateOwnerTokenDocument, UpdateOwnerDocument } from './generated/graphql';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

describe('createOwner', () => {
  test('returns the owner with the 60-minute default and a token that authenticates', async () => {
    const data = await t.ok(CreateOwnerDocument, { input: { name: '  Clinic North ', timeZone: 'Europe/Berlin' } });
    expect(data.createOwner.owner).toMatchObject({ name: 'Clinic North', timeZone: 'Europe/Berlin', slotMinutes: 60 });
    expect(data.createOwner.token).toMatch(/^sbo_[A-Za-z0-9_-]{43}$/);
    const me = await t.ok(MeDocument, {}, data.createOwner.token);
    expect(me.me.id).toBe(data.createOwner.owner.id);
  });

  test('stores only a hash of the token', async () => {
    const data = await t.ok(CreateOwnerDocument, { input: { name: 'Hash check', timeZone: 'UTC' } });
    const rows = await t.app.orm.em.fork().getConnection().execute('select * from owner where id = ?', [data.createOwner.owner.id]);
    expect(JSON.stringify(rows)).not.toContain(data.createOwner.token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['empty name', { name: '', timeZone: 'UTC' }, 'name'],
    ['blank name', { name: '   ', timeZone: 'UTC' }, 'name'],
    ['name over 200 characters', { name: 'x'.repeat(201), timeZone: 'UTC' }, 'name'],
    ['unknown zone', { name: 'A', timeZone: 'Mars/Olympus' }, 'TimeZone'],
    ['offset instead of a zone', { name: 'A', timeZone: '+02:00' }, 'TimeZone'],
    ['slot below 5 minutes', { name: 'A', timeZone: 'UTC', slotMinutes: 0 }, 'input.slotMinutes: must be at least 5 minutes'],
    ['slot above a day', { name: 'A', timeZone: 'UTC', slotMinutes: 1445 }, 'input.slotMinutes: must be at most 1440 minutes'],
    ['slot off the grid', { name: 'A', timeZone: 'UTC', slotMinutes: 42 }, 'slotMinutes'],
  ])('%s is BAD_USER_INPUT naming the field', async (_case, input, field) => {
    const error = await t.fails(CreateOwnerDocument, { input }, 'BAD_USER_INPUT');
    expect(error.message).toContain(field);
  });
});

describe('owner, me, updateOwner, rotateOwnerToken', () => {
  test('owner(id) is public and null when unknown', async () => {
    const owner = await t.createOwner({ name: 'Public' });
    expect((await t.ok(OwnerByIdDocument, { id: owner.id })).owner?.name).toBe('Public');
    expect((await t.ok(OwnerByIdDocument, { id: 'no-such-owner' })).owner).toBeNull();
  });

  test('me needs a valid token', async () => {
    await t.fails(MeDocument, {}, 'UNAUTHENTICATED');
    await t.fails(MeDocument, {}, 'UNAUTHENTICATED', 'sbo_not-a-real-token');
  });

  test('updateOwner changes only the given fields of the token owner', async () => {
    const owner = await t.createOwner({ name: 'Before', timeZone: 'Asia/Kolkata' });
    const data = await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 30 } }, owner.token);
    expect(data.updateOwner).toMatchObject({ id: owner.id, name: 'Before', timeZone: 'Asia/Kolkata', slotMinutes: 30 });
    await t.fails(UpdateOwnerDocument, { input: { timeZone: 'Nowhere/City' } }, 'BAD_USER_INPUT', owner.token);
    await t.fails(UpdateOwnerDocument, { input: { name: 'x' } }, 'UNAUTHENTICATED');
  });

  test('rotateOwnerToken issues a new token and the old one stops working', async () => {
    const owner = await t.createOwner();
    const rotated = await t.ok(RotateOwnerTokenDocument, {}, owner.token);
    expect(rotated.rotateOwnerToken.token).not.toBe(owner.token);
    await t.fails(MeDocument, {}, 'UNAUTHENTICATED', owner.token);
    expect((await t.ok(MeDocument, {}, rotated.rotateOwnerToken.token)).me.id).toBe(owner.id);
  });

  test('of 8 concurrent rotations with one token exactly one succeeds; its token works, the others are UNAUTHENTICATED', async () => {
    const owner = await t.createOwner();
    const results = await Promise.all(Array.from({ length: 8 }, () => t.run(RotateOwnerTokenDocument, {}, owner.token)));
    const winners = results.filter((r) => r.data?.rotateOwnerToken);
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.data) expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await t.ok(MeDocument, {}, winners[0]!.data!.rotateOwnerToken.token)).me.id).toBe(owner.id);
    await t.fails(MeDocument, {}, 'UNAUTHENTICATED', owner.token);
  });

  test('after a rotation the old token stops working within the same request too', async () => {
    const owner = await t.createOwner({ name: 'Before' });
    const rotateThenRename = parse(`mutation {
      rotateOwnerToken { token }
      updateOwner(input: { name: "After" }) { name }
    }`) as TypedDocumentNode<{ rotateOwnerToken: { token: string }; updateOwner: { name: string } }, Record<string, never>>;
    const result = await t.run(rotateThenRename, {}, owner.token);
    // updateOwner is non-null, so its refusal nulls the whole answer; the rename must not have happened.
    expect(result.errors?.map((e) => [e.path?.[0], e.extensions?.code])).toEqual([['updateOwner', 'UNAUTHENTICATED']]);
    expect((await t.ok(OwnerByIdDocument, { id: owner.id })).owner?.name).toBe('Before');
    await t.fails(MeDocument, {}, 'UNAUTHENTICATED', owner.token);
  });
});

test('a time zone is stored in its canonical spelling', async () => {
  const data = await t.ok(CreateOwnerDocument, { input: { name: 'Case', timeZone: 'america/new_york' } });
  expect(data.createOwner.owner.timeZone).toBe('America/New_York');
});
