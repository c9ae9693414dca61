"use client";
/** The Providers page's sandbox simulator: verify or reject an OffBlocks customer, and move the sandbox clock. */
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { INPUT_CLASS } from "./staff-input";
import type { StaffAction } from "./use-staff-action";

export function SandboxSimulator({ action }: { action: StaffAction }) {
  const [customerId, setCustomerId] = useState("");
  const [advanceSeconds, setAdvanceSeconds] = useState("3600");
  const ids = { customer: useId(), clock: useId() };

  async function simulate(outcome: "verify" | "reject") {
    const id = customerId.trim();
    await action.run<{ onboardingId: string | null }>(
      outcome,
      `/api/staff/simulator/customers/${encodeURIComponent(id)}/${outcome}`,
      { method: "POST", body: {} },
      (body) => ({
        tone: "success",
        title: outcome === "verify" ? "Customer verification simulated" : "Customer rejection simulated",
        text: `Customer ${id}${body.onboardingId ? ` (onboarding ${body.onboardingId})` : " (no onboarding of this app)"}: OffBlocks will notify the app by webhook.`,
      }),
    );
  }

  async function advance(event: FormEvent) {
    event.preventDefault();
    await action.run<{ advanceSeconds: number }>(
      "clock",
      "/api/staff/simulator/clock",
      { method: "POST", body: { advanceSeconds: Number(advanceSeconds) } },
      (body) => ({
        tone: "success",
        title: "Sandbox clock advanced",
        text: `The sandbox clock moved ${body.advanceSeconds} s forward: tokens, challenges and sessions expire by it.`,
      }),
    );
  }

  return (
    <section aria-labelledby="sandbox-simulator" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="sandbox-simulator" className="text-lg font-semibold">
        Sandbox simulator
      </h2>
      <div className="mt-3 flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.customer} className="font-medium">
            OffBlocks customer id
          </label>
          <input
            id={ids.customer}
            name="customerId"
            className={INPUT_CLASS}
            value={customerId}
            onChange={(e) => setCustomerId(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="flex flex-wrap gap-3">
          <Button
            variant="secondary"
            onClick={() => void simulate("verify")}
            busy={action.busy === "verify"}
            disabled={!customerId.trim() || (action.busy !== null && action.busy !== "verify")}
          >
            Verify customer
          </Button>
          <Button
            variant="secondary"
            onClick={() => void simulate("reject")}
            busy={action.busy === "reject"}
            disabled={!customerId.trim() || (action.busy !== null && action.busy !== "reject")}
          >
            Reject customer
          </Button>
        </div>
      </div>
      <form onSubmit={advance} className="mt-6 flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.clock} className="font-medium">
            Advance the sandbox clock by (seconds)
          </label>
          <input
            id={ids.clock}
            name="advanceSeconds"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            className={INPUT_CLASS}
            value={advanceSeconds}
            onChange={(e) => setAdvanceSeconds(e.target.value)}
          />
        </div>
        <div>
          <Button type="submit" variant="secondary" busy={action.busy === "clock"} disabled={action.busy !== null && action.busy !== "clock"}>
            Advance clock
          </Button>
        </div>
      </form>
    </section>
  );
}
