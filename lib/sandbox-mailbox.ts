/**
 * The sandbox's Unblock mailbox, for the app's own page of it (app/sandbox/mailbox): the emails "sent" to an
 * address, newest first, read from the running sandbox (`GET /_sandbox/mailbox?email=`). Sandbox mode only —
 * with real providers there is no such mailbox and the page is a 404.
 */
import { z } from "zod";
import { config } from "./config";

const MailSchema = z.object({ to: z.string(), subject: z.string(), body: z.string(), code: z.string().optional(), sentAt: z.string() });
const MailboxSchema = z.object({ items: z.array(MailSchema) });

export type SandboxMail = z.output<typeof MailSchema>;

export const sandboxMailboxAvailable = (): boolean => config().sandbox.enabled;

/** The mails to `email`, newest first; undefined when the sandbox could not be read (not running, no answer in 3 s). */
export async function sandboxMailbox(email: string): Promise<SandboxMail[] | undefined> {
  try {
    const response = await fetch(`${config().sandbox.url}/_sandbox/mailbox?email=${encodeURIComponent(email)}`, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) return response.status === 400 ? [] : undefined;
    return MailboxSchema.parse(await response.json()).items.reverse();
  } catch {
    return undefined;
  }
}
