"use client";
/**
 * A staff action (rotate, revoke, simulate, end a session…) as a react-query mutation through staffFetch:
 * one at a time (`busy` names the running one), its outcome as a message to show (the action's own words on
 * success, the server's on failure), then the page's query re-read.
 */
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";
import { staffFetch, type StaffRequest } from "./staff-api";

export type ActionMessage = { tone: "success" | "error"; title: string; text?: string } | null;

interface Call {
  name: string;
  path: string;
  init: StaffRequest;
}

export interface StaffAction {
  /** Runs the call; true when it went through. */
  run<T>(name: string, path: string, init: StaffRequest, success: (body: T) => ActionMessage): Promise<boolean>;
  /** the name of the action running now */
  busy: string | null;
  message: ActionMessage;
}

/** Actions whose outcome re-reads the query under `reread`. */
export function useStaffAction(reread: QueryKey): StaffAction {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<ActionMessage>(null);
  const mutation = useMutation({ mutationFn: ({ path, init }: Call) => staffFetch<unknown>(path, init) });

  async function run<T>(name: string, path: string, init: StaffRequest, success: (body: T) => ActionMessage): Promise<boolean> {
    setMessage(null);
    let ok = true;
    try {
      setMessage(success((await mutation.mutateAsync({ name, path, init })) as T));
    } catch (error) {
      ok = false;
      setMessage({ tone: "error", title: "That did not work", text: error instanceof Error ? error.message : "Unknown error." });
    }
    await queryClient.invalidateQueries({ queryKey: reread });
    return ok;
  }

  return { run, busy: mutation.isPending ? mutation.variables.name : null, message };
}
