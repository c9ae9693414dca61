/**
 * The app's HTTP server (what `npm start` runs): Next.js's own request handler behind a plain Node server, so
 * that each request can be told who it comes from before Next sees it. The client's address is worked out from
 * the socket and `TRUST_PROXY` (lib/api/client-address.ts) and stamped on the request, replacing any such
 * header the client sent; then the edge guard (lib/edge/guard.ts) sets the security headers and refuses what
 * Next.js cannot answer well (bad paths, unknown methods, declared oversize bodies, malformed HTTP). The rest
 * is Next's (`next start` does the same minus these) — but for a page requested under another host than
 * PUBLIC_URL's, which is sent there (lib/api/canonical-host.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { canonicalPageUrl } from "../lib/api/canonical-host";
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from "../lib/api/client-address";
import { answerClientError, guardRequest } from "../lib/edge/guard";
import { loadConfig } from "../lib/config";

async function main(): Promise<void> {
  const cfg = loadConfig();
  const app = next({ dev: false, dir: process.cwd(), port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((request, response) => {
    const forwarded = request.headers["x-forwarded-for"];
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(
      Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
      request.socket.remoteAddress,
      cfg.trustProxy,
    );
    if (guardRequest(request, response)) return;
    // a page under another host than PUBLIC_URL's goes there before anything is signed (lib/api/canonical-host.ts)
    const canonical = canonicalPageUrl({ method: request.method ?? "GET", host: request.headers.host, url: request.url ?? "/" }, cfg.publicUrl);
    if (canonical) {
      response.writeHead(308, { Location: canonical, "Content-Length": "0" }).end();
      return;
    }
    void handle(request, response);
  });
  server.on("clientError", (_error, socket) => answerClientError(socket));
  // a client that declares a body and sends nothing, or trickles its headers, is dropped well before Node's 5 minutes
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => (cfg.host ? server.listen(cfg.port, cfg.host, resolve) : server.listen(cfg.port, resolve)));
  console.log(`» App ready on port ${(server.address() as AddressInfo).port}`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`» The app failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
