import { handleOffblocksWebhook } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/**
 * OffBlocks' `customer.updated` deliveries: 404 for a wrong secret, 400 for a bad body, 200 once the
 * re-fetched customer is stored (or the event was a duplicate / not ours), 503 when OffBlocks should retry.
 * No Origin check (server to server): proxy.ts exempts /api/webhooks/.
 */
export async function POST(request: Request, context: { params: Promise<{ secret: string }> }): Promise<Response> {
  return handleOffblocksWebhook(request, (await context.params).secret);
}
