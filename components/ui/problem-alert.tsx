/** What failed and the way on: an Alert with its title, its text and (when there is one) the button that retries or does what is needed. */
import { Alert } from "./alert";
import { Button } from "./button";

export interface Problem {
  title: string;
  text: string;
  tone?: "error" | "warning" | "info";
  action?: { label: string; run: () => void };
}

export function ProblemAlert({ problem, testId }: { problem: Problem; testId: string }) {
  return (
    <Alert
      tone={problem.tone ?? "error"}
      title={problem.title}
      testId={testId}
      actions={problem.action ? <Button onClick={problem.action.run}>{problem.action.label}</Button> : undefined}
    >
      {problem.text}
    </Alert>
  );
}
