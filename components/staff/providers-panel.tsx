"use client";

/**
 * The staff Providers page: one card per provider (configured or sandbox, health, last call, error rate,
 * token expiry), the OffBlocks credentials (signing keyId, webhooks, rotate, revoke behind a typed
 * confirmation), the background job queue and, in sandbox mode, the simulator. Every action answers with a
 * visible message.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { BackgroundJobs } from "./background-jobs";
import { OffblocksCredentials } from "./offblocks-credentials";
import { ProviderCardView } from "./provider-card";
import { SandboxSimulator } from "./sandbox-simulator";
import { StaffApiError } from "./staff-api";
import { providersQuery, staffKeys } from "./staff-queries";
import { useStaffAction } from "./use-staff-action";

function loadErrorText(error: Error): string {
  const status = error instanceof StaffApiError ? error.status : 0;
  return status === 401 ? "Sign in with a staff wallet to see the providers." : status === 403 ? "This wallet is not on the staff list." : error.message;
}

export function ProvidersPanel() {
  const { data: status, error } = useQuery(providersQuery());
  const action = useStaffAction(staffKeys.providers);
  const loadError = error ? loadErrorText(error) : null;
  const { message } = action;
  const offblocks = status?.offblocks;

  return (
    <div className="flex flex-col gap-6">
      <div aria-live="polite" className="flex flex-col gap-3">
        {message ? (
          <Alert tone={message.tone} title={message.title} testId="providers-message">
            {message.text}
          </Alert>
        ) : null}
        {loadError ? (
          <Alert tone="error" title="Providers unavailable" testId="providers-load-error">
            {loadError}
          </Alert>
        ) : null}
      </div>

      {!status && !loadError ? <p role="status">Loading providers…</p> : null}

      {status ? (
        <>
          {status.sandbox.enabled ? <p className="text-sm text-slate-700">Sandbox mode: every provider is the built-in emulator.</p> : null}
          <div className="grid gap-4 md:grid-cols-3">
            {status.providers.map((card) => (
              <ProviderCardView key={card.name} card={card} />
            ))}
          </div>
          <BackgroundJobs jobs={status.jobs} />
        </>
      ) : null}

      {offblocks ? <OffblocksCredentials offblocks={offblocks} sandbox={status.sandbox.enabled} action={action} /> : null}

      {status?.sandbox.enabled ? <SandboxSimulator action={action} /> : null}
    </div>
  );
}
