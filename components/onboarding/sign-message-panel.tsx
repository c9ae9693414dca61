/**
 * The text a provider asks the wallet to sign, shown before the wallet opens, and what it means: every provider
 * step (OffBlocks, Unblock, Bloq) shows its message with this panel. The provider's explanation is given the
 * domain and chain the message names and this site's host, to say why the wallet may point out a difference.
 */
import type { ReactNode } from "react";
import { messageDomain } from "./flow-step";

export interface MessageFacts {
  /** the domain the EIP-4361 message names, when it names one */
  domain: string | undefined;
  /** the message's `Chain ID`, when it has one */
  chain: string | undefined;
  /** this site's host (`this site` before the page is in a browser) */
  host: string;
}

export function SignMessagePanel({
  provider,
  message,
  messageTestId,
  explainerTestId,
  explain,
}: {
  provider: string;
  message: string;
  messageTestId: string;
  explainerTestId: string;
  explain: (facts: MessageFacts) => ReactNode;
}) {
  const facts: MessageFacts = {
    domain: messageDomain(message),
    chain: /^Chain ID: (\d+)$/m.exec(message)?.[1],
    host: typeof window === "undefined" ? "this site" : window.location.host,
  };
  return (
    <>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-ink">{`The message ${provider} asks you to sign`}</figcaption>
        <pre
          data-testid={messageTestId}
          className="whitespace-pre-wrap break-words rounded-lg bg-slate-900 p-4 font-mono text-[13px] leading-relaxed text-slate-100 sm:text-sm"
        >
          {message}
        </pre>
      </figure>
      <div className="rounded-lg border-l-4 border-brand bg-brand-light/50 px-4 py-3 text-sm leading-relaxed text-ink" data-testid={explainerTestId}>
        {explain(facts)}
      </div>
    </>
  );
}
