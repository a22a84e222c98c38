import type { KeypairView as NovaKeypair } from '../../../compute/types';
import type { KeypairCreated, KeypairView } from '../../contract/views';
import type { Handler } from '../dispatch';

const keypairView = (k: NovaKeypair): KeypairView => ({ name: k.name, type: k.type, fingerprint: k.fingerprint, publicKey: k.publicKey, createdAt: k.createdAt });
const created = (k: NovaKeypair): KeypairCreated => ({ ...keypairView(k), privateKey: k.privateKey ?? null });

export const flavorList: Handler<'flavorList'> = ({ cp, ctx }) =>
  cp.compute.flavors
    .list({ isPublic: ctx.isAdmin ? null : true })
    .filter((f) => !f.disabled)
    .map((f) => ({ id: f.id, name: f.name, vcpus: f.vcpus, ramMb: f.ram, diskGb: f.disk, isPublic: f.isPublic, description: f.description }));

// Key pairs belong to the user (as in Nova), not the project.
export const keypairList: Handler<'keypairList'> = ({ cp, ctx }) => cp.compute.keypairs.list(ctx.userId).map(keypairView);

export const keypairCreate: Handler<'keypairCreate'> = async ({ cp, ctx }, input) =>
  created(await cp.compute.keypairs.create({ name: input.name, userId: ctx.userId, projectId: ctx.projectId, type: input.type }));

export const keypairImport: Handler<'keypairImport'> = async ({ cp, ctx }, input) =>
  created(await cp.compute.keypairs.create({ name: input.name, userId: ctx.userId, projectId: ctx.projectId, type: input.type, publicKey: input.publicKey }));

export const keypairDelete: Handler<'keypairDelete'> = ({ cp, ctx }, input) => {
  cp.compute.keypairs.delete(ctx.userId, input.name, ctx.projectId);
  return { ok: true };
};
