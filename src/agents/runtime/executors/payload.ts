import { type z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { type RemoteChange } from '../plan';

/** A payload read from a plan: validated like any other input, with the field named when it is wrong. */
export function payloadOf<T>(change: RemoteChange, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(change.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevOpsError('invalidInput', `The ${change.kind} change "${change.id}" is malformed: ${issue?.path.join('.') || 'payload'}: ${issue?.message}.`);
  }
  return parsed.data;
}
