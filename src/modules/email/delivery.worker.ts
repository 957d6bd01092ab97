/*
 * The email worker thread (email.delivery.ts): renders, composes and sends one email per task,
 * many at once (each mostly waits on the SMTP server). Piscina calls the default export with the
 * task and sends back what it returns.
 */
import { deliverEmail } from './smtp-delivery';

export default deliverEmail;

/** Nothing: run once at start, it has the thread load this module (React, nodemailer, ical) before the first email. */
export function warm(): void {}
