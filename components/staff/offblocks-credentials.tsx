"use client";
/**
 * The Providers page's OffBlocks credentials: the one in use (API key, signing keyId, webhooks), rotating
 * them (in the sandbox, a generated pair; the new pair shown once) and revoking them behind a typed
 * confirmation.
 */
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ProvidersStatus } from "@/lib/staff/providers";
import { Field } from "./provider-card";
import { INPUT_CLASS } from "./staff-input";
import type { StaffAction } from "./use-staff-action";

const REVOKE_WORD = "REVOKE";

function randomSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function OffblocksCredentials({ offblocks, sandbox, action }: { offblocks: ProvidersStatus["offblocks"]; sandbox: boolean; action: StaffAction }) {
  const [apiKey, setApiKey] = useState("");
  const [apiSecret, setApiSecret] = useState("");
  const [shownOnce, setShownOnce] = useState<{ apiKey: string; apiSecret: string } | null>(null);
  const [confirm, setConfirm] = useState("");
  const ids = { key: useId(), secret: useId(), confirm: useId(), revokeHelp: useId(), rotateHelp: useId() };
  const revoked = offblocks.revoked;

  async function rotate(event: FormEvent) {
    event.preventDefault();
    const sent = { apiKey: apiKey.trim(), apiSecret };
    const ok = await action.run<{ version: number; apiKey: string }>(
      "rotate",
      "/api/staff/providers/offblocks/credentials",
      { method: "POST", body: sent },
      (body) => ({
        tone: "success",
        title: "OffBlocks credentials rotated",
        text: `Version ${body.version} (API key ${body.apiKey}) is in use now — no restart needed.`,
      }),
    );
    if (ok) {
      setShownOnce(sent);
      setApiKey("");
      setApiSecret("");
    }
  }

  function generate() {
    setApiKey(crypto.randomUUID());
    setApiSecret(randomSecret());
    setShownOnce(null);
  }

  async function revoke(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run<{ revoked: true }>("revoke", "/api/staff/providers/offblocks/credentials", { method: "DELETE", body: { confirm } }, () => ({
      tone: "success",
      title: "OffBlocks credentials revoked",
      text: "OffBlocks refuses every call now. New credentials from OffBlocks go in .env, then restart the app.",
    }));
    if (ok) setConfirm("");
  }

  return (
    <section aria-labelledby="offblocks-credentials" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="offblocks-credentials" className="text-lg font-semibold">
        OffBlocks credentials
      </h2>
      <dl className="mt-3 flex flex-col gap-2 text-sm">
        <Field
          label="State"
          value={
            revoked
              ? "Revoked"
              : `Active — version ${offblocks.credentialVersion} (${offblocks.credentialSource === "stored" ? "rotated here" : "from configuration"})`
          }
          testId="offblocks-credential-state"
        />
        <Field label="API key" value={offblocks.apiKey ?? "—"} testId="offblocks-api-key" />
        <Field label="Signing keyId" value={offblocks.signingKeyId ?? "not registered yet"} testId="offblocks-key-id" />
        <Field label="Key fingerprint" value={offblocks.signingKeyFingerprint} />
        <Field
          label="Webhooks"
          value={
            offblocks.webhooksError ??
            (offblocks.webhooks.length ? offblocks.webhooks.map((w) => `${w.callbackUrl} (${w.types.join(", ")})`).join("; ") : "none registered")
          }
          testId="offblocks-webhooks"
        />
        {offblocks.rotationPending ? <Field label="Rotation" value="A rotation is pending: it completes on the next call." /> : null}
      </dl>

      <form onSubmit={rotate} className="mt-6 flex flex-col gap-3" aria-describedby={ids.rotateHelp}>
        <h3 className="text-base font-semibold">Rotate credentials</h3>
        <p id={ids.rotateHelp} className="text-sm text-slate-700">
          Sends the new key and secret to OffBlocks (<code>PUT /auth/credentials</code>), which invalidates every token issued so far. The app switches to them
          at once; users keep onboarding without a restart.
          {sandbox ? " The sandbox accepts any UUID key with any secret: generate a pair or type your own." : ""}
        </p>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.key} className="font-medium">
            New API key (UUID)
          </label>
          <input
            id={ids.key}
            name="apiKey"
            className={INPUT_CLASS}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            required
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.secret} className="font-medium">
            New API secret
          </label>
          <input
            id={ids.secret}
            name="apiSecret"
            type="password"
            className={INPUT_CLASS}
            value={apiSecret}
            onChange={(e) => setApiSecret(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
            required
            minLength={16}
          />
        </div>
        <div className="flex flex-wrap gap-3">
          {sandbox ? (
            <Button variant="secondary" onClick={generate} disabled={action.busy !== null}>
              Generate new credentials
            </Button>
          ) : null}
          <Button type="submit" busy={action.busy === "rotate"} disabled={action.busy !== null && action.busy !== "rotate"}>
            Rotate credentials
          </Button>
        </div>
        {shownOnce ? (
          <Alert tone="warning" title="Store these now — they are shown once" testId="offblocks-new-credentials">
            <p>
              The app keeps them encrypted in its database, but a fresh database or another deployment reads the configuration: put them in <code>.env</code> as{" "}
              <code>OFFBLOCKS_API_KEY</code> and <code>OFFBLOCKS_API_SECRET</code>.
            </p>
            <pre className="mt-2 whitespace-pre-wrap break-all rounded bg-white/70 p-2 text-xs" data-testid="offblocks-new-credentials-env">
              {`OFFBLOCKS_API_KEY=${shownOnce.apiKey}\nOFFBLOCKS_API_SECRET=${shownOnce.apiSecret}`}
            </pre>
          </Alert>
        ) : null}
      </form>

      <form onSubmit={revoke} className="mt-6 flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50/50 p-3" aria-describedby={ids.revokeHelp}>
        <h3 className="text-base font-semibold text-red-900">Revoke credentials</h3>
        <p id={ids.revokeHelp} className="text-sm text-red-950">
          Revokes API access for good (<code>DELETE /auth/credentials</code>): every OffBlocks call fails from then on, and rotating is no longer possible. To
          resume, OffBlocks must issue new credentials: put them in <code>.env</code> (<code>OFFBLOCKS_API_KEY</code>, <code>OFFBLOCKS_API_SECRET</code>) and
          restart the app. Type <strong>{REVOKE_WORD}</strong> to confirm.
        </p>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.confirm} className="font-medium">
            Type {REVOKE_WORD} to confirm
          </label>
          <input
            id={ids.confirm}
            name="confirm"
            className={INPUT_CLASS}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div>
          <Button
            type="submit"
            className="!bg-red-700 hover:!bg-red-800 disabled:!bg-slate-400"
            busy={action.busy === "revoke"}
            disabled={revoked || confirm !== REVOKE_WORD || (action.busy !== null && action.busy !== "revoke")}
          >
            Revoke credentials
          </Button>
        </div>
      </form>
    </section>
  );
}
