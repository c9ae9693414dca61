/**
 * The Unblock step's first phase: the form that creates the person at Unblock (name, email, country), checked
 * in the browser first and then field by field by the server; what was typed is kept as a draft.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, INPUT_CLASS, inputBorder } from "@/components/ui/field";
import { ProblemAlert } from "@/components/ui/problem-alert";
import { fieldErrors } from "./api-answers";
import { ApiError } from "./api-error";
import { countries } from "./countries";
import { unblockApi } from "./onboarding-api";
import type { Onboarding, UnblockUserInput } from "./onboarding-types";
import { checkDetails, EMPTY, FIELD_LABEL, FIELDS, loadDraft, saveDraft, sentence, type FieldErrors, type FieldName } from "./unblock-details";
import { unblockProblem, withoutAction } from "./unblock-problems";
import { useProviderStep } from "./use-provider-step";

export function UnblockDetails({ onOnboarding, onApiError }: { onOnboarding: (onboarding: Onboarding) => void; onApiError: (error: unknown) => boolean }) {
  const [details, setDetails] = useState<UnblockUserInput>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { busy, problem, setProblem, takeError, act } = useProviderStep<"creating">({ onOnboarding, onApiError });

  // what was typed before a reload (or before the app's own session ended) comes back
  useEffect(() => {
    // read once the page is in the browser (sessionStorage)
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDetails(loadDraft());
  }, []);

  function update(field: FieldName, value: string) {
    const next = { ...details, [field]: value };
    setDetails(next);
    saveDraft(next);
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function focusFirstError(found: FieldErrors) {
    const first = FIELDS.find((f) => found[f]);
    if (first) window.setTimeout(() => document.getElementById(`unblock-${first}`)?.focus(), 0);
  }

  async function createUser(event?: FormEvent) {
    event?.preventDefault();
    const input: UnblockUserInput = {
      firstName: details.firstName.trim(),
      lastName: details.lastName.trim(),
      email: details.email.trim(),
      country: details.country,
    };
    const local = checkDetails(input);
    setErrors(local);
    if (Object.keys(local).length > 0) return focusFirstError(local);
    await act(
      "creating",
      async () => {
        const next = await unblockApi.createUser(input);
        saveDraft(null);
        onOnboarding(next);
      },
      (error) => failed(error),
    );
  }

  function failed(error: unknown) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) {
      const fields = fieldErrors(error);
      const found: FieldErrors = {};
      for (const f of FIELDS) if (fields[f]) found[f] = sentence(FIELD_LABEL[f], fields[f]);
      if (Object.keys(found).length > 0) {
        setErrors(found);
        focusFirstError(found);
        if (error.status === 409)
          setProblem({ title: "That email is already registered at Unblock", text: "Use another email address, or contact support if it is yours." });
        return;
      }
    }
    // no retry button: "Continue to Unblock" sends what the form holds now
    if (!takeError(error)) setProblem(withoutAction(unblockProblem(error, () => undefined, "Sending your details")));
  }

  return (
    <>
      <p className="leading-relaxed text-ink-muted">
        Unblock, our fiat on- and off-ramp, opens a euro or pound account in your name that pays into this wallet. It needs your name, email and country; we
        send them to Unblock and nowhere else.
      </p>
      {problem ? <ProblemAlert problem={problem} testId="unblock-error" /> : null}
      <DetailsForm details={details} errors={errors} busy={busy === "creating"} onChange={update} onSubmit={(e) => void createUser(e)} />
    </>
  );
}

const NAMES_HINT = "unblock-names-hint";

function DetailsForm({
  details,
  errors,
  busy,
  onChange,
  onSubmit,
}: {
  details: UnblockUserInput;
  errors: FieldErrors;
  busy: boolean;
  onChange: (field: FieldName, value: string) => void;
  onSubmit: (event: FormEvent) => void;
}) {
  const id = (f: FieldName) => `unblock-${f}`;
  // the names' shared hint, under both, read with each
  const namesDescribedBy = (field: string, error: string | undefined) => [NAMES_HINT, describedBy(field, error)].filter(Boolean).join(" ");
  const list = useMemo(() => countries(), []);
  const border = (f: FieldName) => inputBorder(errors[f]);
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("firstName")} label="First name" error={errors.firstName}>
          <input
            id={id("firstName")}
            className={`${INPUT_CLASS} ${border("firstName")}`}
            autoComplete="given-name"
            value={details.firstName}
            onChange={(e) => onChange("firstName", e.target.value)}
            aria-invalid={errors.firstName ? true : undefined}
            aria-describedby={namesDescribedBy(id("firstName"), errors.firstName)}
          />
        </Field>
        <Field id={id("lastName")} label="Last name" error={errors.lastName}>
          <input
            id={id("lastName")}
            className={`${INPUT_CLASS} ${border("lastName")}`}
            autoComplete="family-name"
            value={details.lastName}
            onChange={(e) => onChange("lastName", e.target.value)}
            aria-invalid={errors.lastName ? true : undefined}
            aria-describedby={namesDescribedBy(id("lastName"), errors.lastName)}
          />
        </Field>
        <p id={NAMES_HINT} className="-mt-2 text-sm text-ink-muted sm:col-span-2">
          Names in Latin letters, as on your ID.
        </p>
      </div>
      <Field id={id("email")} label="Email" error={errors.email} hint="Unblock sends sign-in codes here.">
        <input
          id={id("email")}
          type="email"
          inputMode="email"
          className={`${INPUT_CLASS} ${border("email")}`}
          autoComplete="email"
          value={details.email}
          onChange={(e) => onChange("email", e.target.value)}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy(id("email"), errors.email, true)}
        />
      </Field>
      <Field id={id("country")} label="Country of residence" error={errors.country}>
        <select
          id={id("country")}
          className={`${INPUT_CLASS} ${border("country")}`}
          autoComplete="country"
          value={details.country}
          onChange={(e) => onChange("country", e.target.value)}
          aria-invalid={errors.country ? true : undefined}
          aria-describedby={describedBy(id("country"), errors.country)}
        >
          <option value="">Choose your country</option>
          {list.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.code})
            </option>
          ))}
        </select>
      </Field>
      <div>
        <Button type="submit" busy={busy}>
          {busy ? "Sending to Unblock…" : "Continue to Unblock"}
        </Button>
      </div>
    </form>
  );
}
