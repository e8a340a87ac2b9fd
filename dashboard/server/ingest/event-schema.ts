import { z } from 'zod';
import { wireEventSchema } from '../../../runner/events/schema.js';

/** A batch of the runner's events as it pushes them, checked at the door against the wire schema. */
export const ingestBody = z.object({ events: z.array(wireEventSchema).min(1).max(1000) }).strict();
