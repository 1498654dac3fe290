import { randomUUID } from 'node:crypto';

export const correlationId = (header: string | undefined): string => header ?? randomUUID();
