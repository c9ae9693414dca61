"use client";
/**
 * The Unblock step (issue 4), shown on the status page once OffBlocks has the wallet's signature: a short
 * form creates the person at Unblock, they sign in to Unblock — with the wallet (a SIWE message the server
 * builds for Unblock's domain) or with a code Unblock emails — and open a EUR or GBP virtual account.
 * Where to start is read from `onboarding.steps.unblock`, so a reload resumes; Unblock's session id never
 * reaches the browser. Loaded on demand (next/dynamic): not part of the page's first load.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { walletSignProblem } from "./wallet-sign-problem";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import { countries } from "./countries";
import { messageDomain } from "./flow-step";
import { fieldErrors, onboardingFromError } from "./api-answers";
import { ApiError, unblockApi } from "./onboarding-api";
import type { Onboarding, Session, UnblockAccount, UnblockCurrency, UnblockUserInput } from "./onboarding-types";
import { WalletGate } from "./wallet-gate";

export interface UnblockStepProps {
  onboarding: Onboarding;
  session: Session;
  wallet: WalletState;
  actions: WalletActions | null;
  /** connect a wallet (opens RainbowKit's modal, loading the wallet layer first when needed) */
  onConnect: () => void;
  /** load the wallet layer ahead of a signature (it reconnects a remembered wallet) */
  onNeedWallet: () => void;
  onOnboarding: (onboarding: Onboarding) => void;
  onSignOutToSwitch: () => void;
  /** the app's own session ended (handled by the page): true when handled */
  onApiError: (error: unknown) => boolean;
}

type Phase = "details" | "signin" | "account" | "done";
type FieldName = keyof UnblockUserInput;
type Busy = "idle" | "creating" | "message" | "signing" | "login" | "sending_code" | "verifying" | "opening";

/** A failure: its own title and text, and the way on (a button that retries or does what is needed). */
interface Problem {
  title: string;
  text: string;
  tone?: "error" | "warning";
  action?: { label: string; run: () => void };
}

const DRAFT_KEY = "unblock-details";
const EMPTY: UnblockUserInput = { firstName: "", lastName: "", email: "", country: "" };
const FIELDS: readonly FieldName[] = ["firstName", "lastName", "email", "country"];
const FIELD_LABEL: Record<FieldName, string> = { firstName: "First name", lastName: "Last name", email: "Email", country: "Country" };

/** The server's `must be 2 to 48 characters` as `First name must be 2 to 48 characters.`; a full sentence stays as it is. */
function sentence(label: string, text: string): string {
  const trimmed = text.trim();
  const full = /^[a-z]/.test(trimmed) ? `${label} ${trimmed}` : trimmed;
  return /[.!?]$/.test(full) ? full : `${full}.`;
}

function loadDraft(): UnblockUserInput {
  try {
    const raw = window.sessionStorage.getItem(DRAFT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (typeof parsed !== "object" || parsed === null) return EMPTY;
    const draft = parsed as Record<string, unknown>;
    return Object.fromEntries(FIELDS.map((f) => [f, typeof draft[f] === "string" ? draft[f] : ""])) as unknown as UnblockUserInput;
  } catch {
    return EMPTY;
  }
}

function saveDraft(draft: UnblockUserInput | null): void {
  try {
    if (draft) window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    else window.sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // storage unavailable: the form still holds what was typed
  }
}

const PENDING_KEY = "unblock-pending-currency";

/** The account asked for when the Unblock session had ended: kept across a reload until it is opened. */
function loadPendingCurrency(): UnblockCurrency | null {
  try {
    const value = window.sessionStorage.getItem(PENDING_KEY);
    return value === "EUR" || value === "GBP" ? value : null;
  } catch {
    return null;
  }
}

function savePendingCurrency(value: UnblockCurrency | null): void {
  try {
    if (value) window.sessionStorage.setItem(PENDING_KEY, value);
    else window.sessionStorage.removeItem(PENDING_KEY);
  } catch {
    // storage unavailable: kept in memory only
  }
}

/** What the browser can tell before asking the server (which has the last word, field by field). */
function checkDetails(input: UnblockUserInput): Partial<Record<FieldName, string>> {
  const errors: Partial<Record<FieldName, string>> = {};
  if (!input.firstName.trim()) errors.firstName = "Enter your first name.";
  if (!input.lastName.trim()) errors.lastName = "Enter your last name.";
  if (!input.email.trim()) errors.email = "Enter your email address.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = "Enter an email address like name@example.com.";
  if (!input.country) errors.country = "Choose your country.";
  return errors;
}

function sessionLive(onboarding: Onboarding, now: number): boolean {
  const unblock = onboarding.steps.unblock;
  if (unblock.status !== "session_active") return false;
  const expiresAt = unblock.sessionExpiresAt ? Date.parse(unblock.sessionExpiresAt) : Number.NaN;
  return !Number.isFinite(expiresAt) || expiresAt > now;
}

function phaseOf(onboarding: Onboarding, sessionEnded: boolean, now: number): Phase {
  const unblock = onboarding.steps.unblock;
  if (unblock.account) return "done";
  if (unblock.status === "not_started") return "details";
  if (!sessionEnded && sessionLive(onboarding, now)) return "account";
  return "signin";
}

const PHASE_TITLE: Record<Phase, string> = {
  details: "Your details for Unblock",
  signin: "Sign in to Unblock",
  account: "Choose your account",
  done: "Your account is open",
};

function endedProblem(wanted: UnblockCurrency | null, reason?: string): Problem {
  const why =
    reason === "superseded"
      ? "You signed in to Unblock somewhere else, which ended this session (Unblock keeps one at a time)."
      : reason === "expired"
        ? "Unblock sign-ins last 4 hours."
        : "Unblock sign-ins last 4 hours, and signing in somewhere else ends this one.";
  return {
    tone: "warning",
    title: "Your Unblock session has ended",
    text: `${why} Sign in to Unblock again, with your wallet or an emailed code${
      wanted ? `, and we open your ${wanted} account right after` : ""
    }. Everything you entered is kept.`,
  };
}

function withoutAction(problem: Problem | null): Problem | null {
  return problem ? { title: problem.title, text: problem.text, ...(problem.tone ? { tone: problem.tone } : {}) } : null;
}

function unblockDown(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "unblock_unavailable" || error.status === 502 || error.status === 503 || error.status === 504);
}

export default function UnblockStep({ onboarding, session, wallet, actions, onConnect, onNeedWallet, onOnboarding, onSignOutToSwitch, onApiError }: UnblockStepProps) {
  const unblock = onboarding.steps.unblock;
  const [details, setDetails] = useState<UnblockUserInput>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [busy, setBusy] = useState<Busy>("idle");
  const [problem, setProblem] = useState<Problem | null>(() => (unblock.status === "session_expired" && !unblock.account ? endedProblem(loadPendingCurrency()) : null));
  /** Unblock answered that its session ended (401): sign in again, whatever the onboarding still says */
  const [sessionEnded, setSessionEnded] = useState(unblock.status === "session_expired");
  const [way, setWay] = useState<"choose" | "wallet" | "email">(unblock.otpSentAt && unblock.status === "user_created" ? "email" : "choose");
  const [message, setMessage] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [currency, setCurrency] = useState<UnblockCurrency>("EUR");
  /** the account asked for when the session turned out to have ended: opened once signed in again */
  const [pendingCurrency, setPendingState] = useState<UnblockCurrency | null>(() => (unblock.account ? null : loadPendingCurrency()));
  const setPendingCurrency = (wanted: UnblockCurrency | null) => {
    setPendingState(wanted);
    savePendingCurrency(wanted);
  };
  const [now] = useState(() => Date.now());
  const phase = phaseOf(onboarding, sessionEnded, now);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const pendingSignature = useRef<`0x${string}` | null>(null);

  // what was typed before a reload (or before the app's own session ended) comes back
  useEffect(() => {
    // read once the page is in the browser (sessionStorage)
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (unblock.status === "not_started") setDetails(loadDraft());
    // only on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // focus follows the phase (not on first render: the page reads from the top)
  const shownPhase = useRef(phase);
  useEffect(() => {
    if (shownPhase.current === phase) return;
    shownPhase.current = phase;
    const timer = window.setTimeout(() => headingRef.current?.focus(), 50);
    return () => window.clearTimeout(timer);
  }, [phase]);

  /** An error answer that carries the onboarding as it now is (e.g. 409 `unblock_user_required`): show where things stand. */
  function adoptOnboarding(error: unknown) {
    // (not an onboarding after all: the problem shown says what to do)
    const next = onboardingFromError(error);
    if (next) onOnboarding(next);
  }

  /** A failure common to every call: the app's session, Unblock down, the network, or the server's own words. */
  function commonProblem(error: unknown, retry: () => void, what: string): Problem | null {
    if (onApiError(error)) return null;
    adoptOnboarding(error);
    if (error instanceof ApiError && error.code === "unblock_unauthorized") {
      return {
        title: "We could not connect to Unblock",
        text: "Unblock refused our own credentials: a problem on our side, not yours. What you entered is kept; try again later or contact support.",
        action: { label: "Try again", run: retry },
      };
    }
    if (unblockDown(error)) {
      return { title: "Unblock is not answering right now", text: `Nothing went wrong on your side, and what you entered is kept. Try again in a moment.`, action: { label: "Try again", run: retry } };
    }
    if (error instanceof ApiError && error.code === "network") {
      return { title: "We could not reach the server", text: "Check your connection; what you entered is kept.", action: { label: "Try again", run: retry } };
    }
    return {
      title: `${what} did not go through`,
      text: error instanceof Error ? error.message : "Something went wrong.",
      action: { label: "Try again", run: retry },
    };
  }

  /** Unblock's session ended (4 h, or a newer sign-in elsewhere): sign in again, keeping what was chosen. */
  function sessionExpired(wanted: UnblockCurrency | null, error?: unknown) {
    setSessionEnded(true);
    setWay("choose");
    setMessage(null);
    setPendingCurrency(wanted);
    adoptOnboarding(error);
    const reason = error instanceof ApiError && typeof error.details.reason === "string" ? error.details.reason : undefined;
    setProblem(endedProblem(wanted, reason));
  }

  function isSessionExpired(error: unknown): boolean {
    return (
      error instanceof ApiError &&
      (error.code === "unblock_session_expired" || error.code === "unblock_session_required" || (error.status === 401 && error.code.startsWith("unblock_")))
    );
  }

  // ---- details → Unblock user ----
  function update(field: FieldName, value: string) {
    const next = { ...details, [field]: value };
    setDetails(next);
    saveDraft(next);
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function focusFirstError(found: Partial<Record<FieldName, string>>) {
    const first = FIELDS.find((f) => found[f]);
    if (first) window.setTimeout(() => document.getElementById(`unblock-${first}`)?.focus(), 0);
  }

  async function createUser(event?: FormEvent) {
    event?.preventDefault();
    const input: UnblockUserInput = { firstName: details.firstName.trim(), lastName: details.lastName.trim(), email: details.email.trim(), country: details.country };
    const local = checkDetails(input);
    setErrors(local);
    if (Object.keys(local).length > 0) return focusFirstError(local);
    setBusy("creating");
    setProblem(null);
    try {
      const next = await unblockApi.createUser(input);
      saveDraft(null);
      onOnboarding(next);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 409)) {
        const fields = fieldErrors(error);
        const found: Partial<Record<FieldName, string>> = {};
        for (const f of FIELDS) if (fields[f]) found[f] = sentence(FIELD_LABEL[f], fields[f]);
        if (Object.keys(found).length > 0) {
          setErrors(found);
          focusFirstError(found);
          if (error.status === 409) setProblem({ title: "That email is already registered at Unblock", text: "Use another email address, or contact support if it is yours." });
          return;
        }
      }
      // no retry button: "Continue to Unblock" sends what the form holds now
      setProblem(withoutAction(commonProblem(error, () => undefined, "Sending your details")));
    } finally {
      setBusy("idle");
    }
  }

  // ---- after signing in (either way) ----
  async function signedIn(next: Onboarding) {
    setSessionEnded(false);
    setMessage(null);
    setCode("");
    setWay("choose");
    setProblem(null);
    onOnboarding(next);
    if (pendingCurrency && !next.steps.unblock.account) await openAccount(pendingCurrency);
  }

  // ---- the wallet way ----
  async function fetchMessage() {
    setBusy("message");
    setProblem(null);
    setWay("wallet");
    onNeedWallet();
    try {
      setMessage(await unblockApi.message());
    } catch (error) {
      setWay("choose");
      if (isSessionExpired(error)) sessionExpired(pendingCurrency, error);
      else setProblem(commonProblem(error, () => void fetchMessage(), "Preparing the Unblock message"));
    } finally {
      setBusy("idle");
    }
  }

  async function sendSignature(signature: `0x${string}`) {
    setBusy("login");
    try {
      const next = await unblockApi.login(signature);
      pendingSignature.current = null;
      setBusy("idle");
      await signedIn(next);
    } catch (error) {
      setBusy("idle");
      pendingSignature.current = null;
      if (unblockDown(error)) {
        // the message is single use: a retry signs a fresh one
        setMessage(null);
        setWay("choose");
        setProblem({ title: "Unblock is not answering right now", text: "Nothing went wrong on your side. Try again in a moment: we prepare a fresh message to sign.", action: { label: "Try again", run: () => void fetchMessage() } });
        return;
      }
      if (onApiError(error)) return;
      adoptOnboarding(error);
      setMessage(null);
      setWay("choose");
      const code = error instanceof ApiError ? error.code : "";
      if (code === "unblock_message_expired" || code === "unblock_message_required") {
        setProblem({
          tone: "warning",
          title: "That message can no longer be used",
          text: `${error instanceof Error ? error.message : ""} Each Unblock message works once and for 4 hours: sign a fresh one.`,
          action: { label: "Sign a fresh message", run: () => void fetchMessage() },
        });
        return;
      }
      setProblem({
        title: "Unblock did not accept the signature",
        text: `${error instanceof Error ? error.message : "The sign-in failed."} Each message works once: “Sign with wallet” prepares a fresh one, or get a code by email instead.`,
      });
    }
  }

  async function sign() {
    if (!message || !actions) return;
    setBusy("signing");
    setProblem(null);
    let signature: `0x${string}`;
    try {
      signature = await actions.signMessage(message, session.address as `0x${string}`);
    } catch (error) {
      setBusy("idle");
      setProblem(walletSignProblem(error, "You declined the request in your wallet, so nothing was sent to Unblock. Sign again when you are ready, or get a code by email instead."));
      return;
    }
    pendingSignature.current = signature;
    await sendSignature(signature);
  }

  // ---- the email way ----
  async function sendCode() {
    setBusy("sending_code");
    setProblem(null);
    setCodeError(null);
    setMessage(null);
    try {
      const next = await unblockApi.sendCode();
      setWay("email");
      setCode("");
      onOnboarding(next);
      window.setTimeout(() => codeRef.current?.focus(), 50);
    } catch (error) {
      if (isSessionExpired(error)) sessionExpired(pendingCurrency, error);
      else setProblem(commonProblem(error, () => void sendCode(), "Sending the code"));
    } finally {
      setBusy("idle");
    }
  }

  async function verifyCode(event?: FormEvent) {
    event?.preventDefault();
    const entered = code.replace(/\s+/g, "");
    if (!/^\d{4,6}$/.test(entered)) {
      setCodeError("Enter the 4 to 6 digit code from the email.");
      codeRef.current?.focus();
      return;
    }
    setBusy("verifying");
    setProblem(null);
    setCodeError(null);
    try {
      const next = await unblockApi.verifyCode(entered);
      setBusy("idle");
      await signedIn(next);
    } catch (error) {
      setBusy("idle");
      const codeOf = error instanceof ApiError ? error.code : "";
      if (codeOf === "otp_invalid") {
        setCodeError("That code is not right. Check the email and type it again, or ask for a new code.");
        codeRef.current?.focus();
      } else if (codeOf === "otp_expired") {
        setProblem({ title: "That code has expired", text: "Codes are valid for 10 minutes. Ask for a new one; it goes to the same email address.", action: { label: "Email me a new code", run: () => void sendCode() } });
      } else if (codeOf === "otp_locked" || (error instanceof ApiError && error.status === 429)) {
        setProblem({ title: "Too many wrong codes", text: "For your safety this code no longer works. Ask for a new one and type it carefully.", action: { label: "Email me a new code", run: () => void sendCode() } });
      } else if (isSessionExpired(error)) {
        sessionExpired(pendingCurrency, error);
      } else {
        // "Verify code" sends the code the field holds now
        setProblem(withoutAction(commonProblem(error, () => undefined, "Checking the code")));
      }
    }
  }

  // ---- the account ----
  async function openAccount(wanted: UnblockCurrency) {
    setBusy("opening");
    setProblem(null);
    try {
      const next = await unblockApi.openAccount(wanted);
      setPendingCurrency(null);
      onOnboarding(next);
    } catch (error) {
      if (isSessionExpired(error)) sessionExpired(wanted, error);
      else setProblem(commonProblem(error, () => void openAccount(wanted), `Opening your ${wanted} account`));
    } finally {
      setBusy("idle");
    }
  }

  const signInAgain = sessionEnded || unblock.status === "session_expired" || (unblock.status === "session_active" && phase === "signin");
  const title = phase === "signin" && signInAgain ? "Sign in to Unblock again" : phase === "done" && unblock.account ? `Your ${unblock.account.currency} account is open` : PHASE_TITLE[phase];

  return (
    <section aria-labelledby="unblock-heading" data-testid="unblock-step" data-phase={phase} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <div>
        <p className="text-sm font-semibold text-brand">Next: a bank account with Unblock</p>
        <h2 id="unblock-heading" ref={headingRef} tabIndex={-1} className="mt-1 text-xl font-bold text-ink focus:outline-none focus-visible:outline-3 focus-visible:outline-offset-4 focus-visible:outline-brand">
          {title}
        </h2>
      </div>

      {phase === "details" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            Unblock, our fiat on- and off-ramp, opens a euro or pound account in your name that pays into this wallet. It needs your name, email
            and country; we send them to Unblock and nowhere else.
          </p>
          {problem ? <ProblemAlert problem={problem} /> : null}
          <DetailsForm details={details} errors={errors} busy={busy === "creating"} onChange={update} onSubmit={(e) => void createUser(e)} />
        </>
      ) : null}

      {phase === "signin" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            {signInAgain ? "Sign in to Unblock again" : "Sign in to Unblock"} as <span className="break-words font-semibold text-ink">{unblock.email ?? "you"}</span>: sign a
            message with your wallet, or type a code Unblock emails you. Either way works; neither moves funds.
          </p>
          {problem ? <ProblemAlert problem={problem} /> : null}
          {way === "choose" || (way === "wallet" && !message) ? (
            <div className="flex flex-wrap gap-3">
              <Button busy={busy === "message"} disabled={busy !== "idle"} onClick={() => void fetchMessage()}>
                {busy === "message" ? "Preparing the message…" : "Sign with wallet"}
              </Button>
              <Button variant="secondary" busy={busy === "sending_code"} disabled={busy !== "idle"} onClick={() => void sendCode()}>
                {busy === "sending_code" ? "Sending the code…" : "Email me a code"}
              </Button>
            </div>
          ) : null}
          {way === "wallet" && message ? (
            <WalletWay
              message={message}
              busy={busy}
              wallet={wallet}
              session={session}
              actions={actions}
              onConnect={onConnect}
              onSignOutToSwitch={onSignOutToSwitch}
              onSign={() => void sign()}
              onEmailInstead={() => void sendCode()}
            />
          ) : null}
          {way === "email" ? (
            <EmailWay
              email={unblock.email}
              code={code}
              codeError={codeError}
              busy={busy}
              codeRef={codeRef}
              onCode={(value) => {
                setCode(value);
                if (codeError) setCodeError(null);
              }}
              onVerify={(e) => void verifyCode(e)}
              onResend={() => void sendCode()}
              onWalletInstead={() => void fetchMessage()}
            />
          ) : null}
          {pendingCurrency ? (
            <p className="text-sm text-ink-muted" data-testid="unblock-pending">
              Once you are signed in, we open your {pendingCurrency} account.
            </p>
          ) : null}
        </>
      ) : null}

      {phase === "account" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            You are signed in to Unblock
            {unblock.sessionExpiresAt ? ` until ${new Date(unblock.sessionExpiresAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}. Choose the
            currency of your virtual account: money paid into it arrives in your wallet.
          </p>
          {problem ? <ProblemAlert problem={problem} /> : null}
          <CurrencyChoice currency={currency} onChange={setCurrency} />
          <div>
            <Button busy={busy === "opening"} disabled={busy !== "idle"} onClick={() => void openAccount(currency)}>
              {busy === "opening" ? `Opening your ${currency} account…` : `Open my ${currency} account`}
            </Button>
          </div>
        </>
      ) : null}

      {phase === "done" && unblock.account ? <AccountDetails account={unblock.account} /> : null}
    </section>
  );
}

function ProblemAlert({ problem }: { problem: Problem }) {
  return (
    <Alert
      tone={problem.tone ?? "error"}
      title={problem.title}
      testId="unblock-error"
      actions={problem.action ? <Button onClick={problem.action.run}>{problem.action.label}</Button> : undefined}
    >
      {problem.text}
    </Alert>
  );
}

const INPUT =
  "mt-1 block w-full rounded-lg border bg-white px-3 py-2.5 text-base text-ink shadow-sm focus-visible:outline-3 focus-visible:outline-offset-1 focus-visible:outline-brand";

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold text-ink">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-ink-muted">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error: string | undefined, hint = false): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function DetailsForm({
  details,
  errors,
  busy,
  onChange,
  onSubmit,
}: {
  details: UnblockUserInput;
  errors: Partial<Record<FieldName, string>>;
  busy: boolean;
  onChange: (field: FieldName, value: string) => void;
  onSubmit: (event: FormEvent) => void;
}) {
  const id = (f: FieldName) => `unblock-${f}`;
  const list = useMemo(() => countries(), []);
  const border = (f: FieldName) => (errors[f] ? "border-red-700" : "border-slate-300");
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("firstName")} label="First name" error={errors.firstName}>
          <input
            id={id("firstName")}
            className={`${INPUT} ${border("firstName")}`}
            autoComplete="given-name"
            value={details.firstName}
            onChange={(e) => onChange("firstName", e.target.value)}
            aria-invalid={errors.firstName ? true : undefined}
            aria-describedby={describedBy(id("firstName"), errors.firstName)}
          />
        </Field>
        <Field id={id("lastName")} label="Last name" error={errors.lastName}>
          <input
            id={id("lastName")}
            className={`${INPUT} ${border("lastName")}`}
            autoComplete="family-name"
            value={details.lastName}
            onChange={(e) => onChange("lastName", e.target.value)}
            aria-invalid={errors.lastName ? true : undefined}
            aria-describedby={describedBy(id("lastName"), errors.lastName)}
          />
        </Field>
      </div>
      <Field id={id("email")} label="Email" error={errors.email} hint="Unblock sends sign-in codes here.">
        <input
          id={id("email")}
          type="email"
          inputMode="email"
          className={`${INPUT} ${border("email")}`}
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
          className={`${INPUT} ${border("country")}`}
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
      <p className="text-sm text-ink-muted">
        Names in Latin letters, as on your ID.
      </p>
      <div>
        <Button type="submit" busy={busy}>
          {busy ? "Sending to Unblock…" : "Continue to Unblock"}
        </Button>
      </div>
    </form>
  );
}

function WalletWay({
  message,
  busy,
  wallet,
  session,
  actions,
  onConnect,
  onSignOutToSwitch,
  onSign,
  onEmailInstead,
}: {
  message: string;
  busy: Busy;
  wallet: WalletState;
  session: Session;
  actions: WalletActions | null;
  onConnect: () => void;
  onSignOutToSwitch: () => void;
  onSign: () => void;
  onEmailInstead: () => void;
}) {
  const domain = messageDomain(message);
  const chain = /^Chain ID: (\d+)$/m.exec(message)?.[1];
  const host = typeof window === "undefined" ? "this site" : window.location.host;
  const walletMatches = wallet.status === "connected" && wallet.address.toLowerCase() === session.address.toLowerCase();
  return (
    <div className="flex flex-col gap-4">
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-ink">The message Unblock asks you to sign</figcaption>
        <pre data-testid="unblock-message" className="whitespace-pre-wrap break-words rounded-lg bg-slate-900 p-4 font-mono text-[13px] leading-relaxed text-slate-100 sm:text-sm">
          {message}
        </pre>
      </figure>
      <div className="rounded-lg border-l-4 border-brand bg-brand-light/50 px-4 py-3 text-sm leading-relaxed text-ink" data-testid="unblock-domain-explainer">
        <p>
          It names <span className="font-mono font-semibold">{domain ?? "Unblock’s own domain"}</span>, Unblock’s address, not this site (
          <span className="font-mono">{host}</span>): the signature signs you in at Unblock, so your wallet may point out that the domains differ.
          {chain ? ` The chain it names (${chain === "80002" ? "Polygon Amoy, 80002" : chain === "137" ? "Polygon, 137" : chain}) is the one Unblock works on; your wallet does not need to switch.` : ""}{" "}
          It is not a transaction, costs nothing and is valid for 4 hours, once.
        </p>
      </div>
      <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
        <div className="flex flex-wrap gap-3">
          <Button busy={busy === "signing" || busy === "login"} disabled={busy !== "idle" || !walletMatches || !actions} onClick={onSign}>
            {busy === "signing" ? "Waiting for your signature…" : busy === "login" ? "Signing you in at Unblock…" : "Sign the message"}
          </Button>
          <Button variant="secondary" disabled={busy !== "idle"} onClick={onEmailInstead}>
            Email me a code instead
          </Button>
        </div>
      </WalletGate>
    </div>
  );
}

function EmailWay({
  email,
  code,
  codeError,
  busy,
  codeRef,
  onCode,
  onVerify,
  onResend,
  onWalletInstead,
}: {
  email: string | undefined;
  code: string;
  codeError: string | null;
  busy: Busy;
  codeRef: React.RefObject<HTMLInputElement | null>;
  onCode: (value: string) => void;
  onVerify: (event: FormEvent) => void;
  onResend: () => void;
  onWalletInstead: () => void;
}) {
  return (
    <form noValidate onSubmit={onVerify} className="flex flex-col gap-4" data-testid="unblock-code-form">
      <p role="status" className="text-ink">
        We asked Unblock to email a code to <span className="break-words font-semibold">{email ?? "your email address"}</span>. It is valid for 10 minutes.
      </p>
      <Field id="unblock-code" label="Code from the email" error={codeError ?? undefined}>
        <input
          id="unblock-code"
          ref={codeRef}
          className={`${INPUT} max-w-48 font-mono tracking-widest ${codeError ? "border-red-700" : "border-slate-300"}`}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={8}
          value={code}
          onChange={(e) => onCode(e.target.value)}
          aria-invalid={codeError ? true : undefined}
          aria-describedby={codeError ? "unblock-code-error" : undefined}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={busy === "verifying"} disabled={busy !== "idle"}>
          {busy === "verifying" ? "Checking the code…" : "Verify code"}
        </Button>
        <Button variant="secondary" busy={busy === "sending_code"} disabled={busy !== "idle"} onClick={onResend}>
          Email me a new code
        </Button>
        <Button variant="link" disabled={busy !== "idle"} onClick={onWalletInstead}>
          Sign with wallet instead
        </Button>
      </div>
    </form>
  );
}

function CurrencyChoice({ currency, onChange }: { currency: UnblockCurrency; onChange: (c: UnblockCurrency) => void }) {
  const options: { id: UnblockCurrency; label: string; detail: string }[] = [
    { id: "EUR", label: "Euro (EUR)", detail: "An IBAN for SEPA transfers" },
    { id: "GBP", label: "Pound sterling (GBP)", detail: "A UK sort code and account number" },
  ];
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-sm font-semibold text-ink">Currency</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((option) => (
          <label
            key={option.id}
            className={`flex cursor-pointer items-start gap-3 rounded-lg border px-4 py-3 has-focus-visible:outline-3 has-focus-visible:outline-offset-2 has-focus-visible:outline-brand ${
              currency === option.id ? "border-brand bg-brand-light/40" : "border-slate-300"
            }`}
          >
            <input type="radio" name="unblock-currency" value={option.id} checked={currency === option.id} onChange={() => onChange(option.id)} className="mt-1 size-4 accent-brand" />
            <span>
              <span className="block font-medium text-ink">{option.label}</span>
              <span className="block text-sm text-ink-muted">{option.detail}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** IBAN in groups of four, as printed on cards and statements. */
function grouped(value: string): string {
  return value.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

function AccountDetails({ account }: { account: UnblockAccount }) {
  const rows: { label: string; value: string; shown: string; mono?: boolean }[] = [{ label: "Account holder", value: account.accountHolder, shown: account.accountHolder, mono: false }];
  if (account.currency === "EUR") {
    if (account.iban) rows.push({ label: "IBAN", value: account.iban.replace(/\s+/g, ""), shown: grouped(account.iban) });
    if (account.bic) rows.push({ label: "BIC", value: account.bic, shown: account.bic });
  } else {
    if (account.sortCode) rows.push({ label: "Sort code", value: account.sortCode, shown: account.sortCode.replace(/^(\d{2})-?(\d{2})-?(\d{2})$/, "$1-$2-$3") });
    if (account.accountNumber) rows.push({ label: "Account number", value: account.accountNumber, shown: account.accountNumber });
  }
  return (
    <div className="flex flex-col gap-4" data-testid="unblock-account" data-currency={account.currency}>
      <Alert tone="success" title={`Your ${account.currency} account is ready`}>
        Money sent to this account in {account.currency === "EUR" ? "euros" : "pounds"} is converted by Unblock and arrives in your wallet. Coming back to this page
        shows these details again.
      </Alert>
      <dl className="flex flex-col divide-y divide-slate-200 rounded-lg ring-1 ring-slate-200">
        {rows.map((row) => (
          <CopyRow key={row.label} {...row} />
        ))}
      </dl>
    </div>
  );
}

function CopyRow({ label, value, shown, mono = true }: { label: string; value: string; shown: string; mono?: boolean }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <div className="px-4 py-3">
      <dt className="text-sm text-ink-muted">{label}</dt>
      <dd className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <span className={`min-w-0 break-all text-base font-semibold text-ink ${mono ? "font-mono" : ""}`} data-testid={`unblock-${label.toLowerCase().replace(/\s+/g, "-")}`}>
          {shown}
        </span>
        <span className="flex items-center gap-2">
          <span role="status" className="text-sm text-ink-muted">
            {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select it instead" : ""}
          </span>
          <Button variant="secondary" className="!min-h-10 !px-3 !py-1.5" aria-label={`Copy ${label}`} onClick={() => void copy()}>
            Copy
          </Button>
        </span>
      </dd>
    </div>
  );
}
