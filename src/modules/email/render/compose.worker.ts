/*
 * The email composer's worker thread (email.composer.ts): renders and composes one email per task.
 * Piscina calls the default export with the task and sends back what it returns.
 */
import type { EmailFacts } from './email-facts';
import { composeEmail, type Envelope } from './compose';

export default async function compose(task: { facts: EmailFacts; envelope: Envelope }): Promise<Uint8Array> {
  return composeEmail(task.facts, task.envelope);
}
