import { DeskError } from '../core/errors';

// Keystone's own wording, which clients and operators recognise.
export const notFoundIn = (kind: string, id: string): DeskError => new DeskError('NotFound', `Could not find ${kind}: ${id}.`, { kind, id });

export const policyDenied = (action: string): DeskError =>
  new DeskError('Forbidden', `You are not authorized to perform the requested action: identity:${action}.`);

export const duplicate = (kind: string, name: string, domainId?: string): DeskError =>
  new DeskError(
    'Conflict',
    `Conflict occurred attempting to store ${kind} - Duplicate entry found with name ${name}${domainId ? ` at domain ID ${domainId}` : ''}.`,
  );

export const invalidInput = (field: string, why: string): DeskError => new DeskError('BadRequest', `Invalid input for field '${field}': ${why}`);
