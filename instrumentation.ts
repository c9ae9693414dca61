/**
 * Runs once when the Next.js server starts (Node runtime): the console's secret redaction first (it covers every
 * framework log line), then database migrations, provider set-up. The edge guard sits in front of Next.js, on
 * the app's own server (scripts/app-server.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installConsoleRedaction } = await import("./lib/log-redaction");
  installConsoleRedaction();
  const { prepareServer } = await import("./lib/server-start");
  await prepareServer();
}
