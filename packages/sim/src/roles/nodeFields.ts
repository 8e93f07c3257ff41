import { z } from 'zod';

/** A node's id in scenario files: lowercase letters, digits and dashes. */
export const nodeId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'an id of lowercase letters, digits and dashes');

/** Fields every node has, host or role: its id, a label and where it is drawn (a 1000 × 600 design space). */
export const nodeFields = {
  id: nodeId,
  label: z.string().max(40).default(''),
  x: z.number().min(0).max(1000),
  y: z.number().min(0).max(600),
};

/** Fields every role node has besides those: whether a player can hold it (seats are handed out in file order). */
export const roleNodeFields = {
  ...nodeFields,
  seat: z.boolean().default(true),
};
