/**
 * The types the onboarding page's parts share: what the API answers (derived from lib/onboarding's view
 * schemas, under the names the page uses), what a step shows when a call fails (StepProblem, the one error
 * model of every step) and the page's notice. Type-only: importing it costs the page nothing.
 */
import type { BloqStepView, ChallengeView, OffblocksStepStatus, OnboardingView, UnblockAccountView, UnblockStepView } from "@/lib/onboarding/types";

export type Onboarding = OnboardingView;
export type OffblocksStatus = OffblocksStepStatus;
export type Challenge = ChallengeView;
export type UnblockStep = UnblockStepView;
export type UnblockAccount = UnblockAccountView;
export type UnblockCurrency = UnblockAccountView["currency"];
export type BloqStep = BloqStepView;

export interface Session {
  address: string;
  chainId: number;
  isStaff: boolean;
}

export interface UnblockUserInput {
  firstName: string;
  lastName: string;
  email: string;
  country: string;
}

/** A message the page shows above the current step (signed out, switched accounts, a new message fetched). */
export interface Notice {
  tone: "info" | "warning" | "success";
  title: string;
  text: string;
}

/** What a step shows when something failed: its own title and text, and the way on (a button that retries or does what is needed). */
export type { Problem as StepProblem } from "@/components/ui/problem-alert";
