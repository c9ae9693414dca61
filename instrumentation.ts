/**
 * Runs once when the Next.js server starts (Node runtime): the edge guard and the console's secret redaction
 * first (they cover every request and every framework log line), then database migrations, provider set-up.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installEdgeGuard } = await import("./lib/edge/guard");
  const { installConsoleRedaction } = await import("./lib/log-redaction");
  installConsoleRedaction();
  installEdgeGuard();
  const { prepareServer } = await import("./lib/server-start");
  await prepareServer();
}
