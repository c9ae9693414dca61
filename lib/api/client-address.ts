/**
 * Who a request comes from, as this deployment can know it: the socket's address, or — behind `TRUST_PROXY`
 * proxies — the address the outermost trusted proxy saw. `X-Forwarded-For` lists the hops a request went
 * through, each proxy appending the address it received the request from; only the last `hops` entries were
 * written by our own proxies, so the client is the entry just before them. With `TRUST_PROXY=0` (the default)
 * the header is ignored: a client cannot choose its own identity. The app's HTTP server (scripts/app-server.ts)
 * works this out from the socket and stamps it on the request as CLIENT_ADDRESS_HEADER, replacing any such
 * header the client sent; rate limits key on it.
 */
export const CLIENT_ADDRESS_HEADER = "x-onboarding-client-address";

/** The client's address from the socket's and the `X-Forwarded-For` chain, trusting `trustedHops` proxies. */
export function clientAddressOf(forwardedFor: string | undefined, socketAddress: string | undefined, trustedHops: number): string {
  const socket = normalise(socketAddress ?? "") || "unknown";
  if (trustedHops <= 0 || !forwardedFor) return socket;
  const chain = [
    ...forwardedFor
      .split(",")
      .map((entry) => normalise(entry))
      .filter(Boolean),
    socket,
  ];
  // chain[-1] is our socket peer (a trusted proxy when hops ≥ 1); each trusted hop vouches for the entry before it
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; trims; at most 64 characters (an address, not a story). */
function normalise(address: string): string {
  const trimmed = address.trim().slice(0, 64);
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

/**
 * The client address of a request handled by the app's server. Under `next dev` (no stamp) it falls back to the
 * `X-Forwarded-For` Next.js itself sets from the socket when the client sent none.
 */
export function requestClientAddress(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER) ?? clientAddressOf(undefined, headers.get("x-forwarded-for")?.split(",")[0], 0);
}
