// A front end's use of the Moonflow API through types generated from its OpenAPI document (openapi-typescript) and
// openapi-fetch. It compiles under `tsc --strict` with no non-null assertion and no cast (check.mjs refuses both):
// the document's `required` lists, nullable markers, multipart schema and problem codes are what make that possible.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "../generated/moonflow-api";

type Problem = components["schemas"]["ProblemDetails"];
type Process = components["schemas"]["ProcessDto"];
export type MoonflowClient = Client<paths>;

/** A failed call: the problem's stable `code` is what a front end switches on; `title`/`detail` are for people. */
export class MoonflowProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string | null | undefined,
  ) {
    super(`${status} ${code}${detail ? `: ${detail}` : ""}`);
  }

  static from(problem: Problem): MoonflowProblem {
    return new MoonflowProblem(problem.status, problem.code, problem.detail);
  }
}

/** Signs in with tenant, e-mail and password; the client it returns sends the bearer token on every call. */
export async function signIn(baseUrl: string, tenant: string, email: string, password: string): Promise<MoonflowClient> {
  const anonymous = createClient<paths>({ baseUrl });
  const { data, error } = await anonymous.POST("/api/v1/auth/token", { body: { tenant, email, password } });
  if (error) {
    throw MoonflowProblem.from(error);
  }

  return createClient<paths>({ baseUrl, headers: { Authorization: `${data.tokenType} ${data.accessToken}` } });
}

export interface InteractionRow {
  id: string;
  client: string;
  sentAt: string;
}

/** One page of failed WhatsApp and SMS messages of a campaign, newest first, with the columns a tray shows. */
export async function failedMessages(client: MoonflowClient, campaign: string, cursor?: string): Promise<{ rows: InteractionRow[]; next: string | null }> {
  const { data, error } = await client.GET("/api/v1/interactions", {
    params: {
      query: {
        channel: ["whatsapp", "sms"],
        status: ["failed"],
        campaign,
        from: "2026-01-01T00:00:00-05:00",
        sort: "-sendAt",
        fields: "clientName,sentAt",
        limit: 50,
        ...(cursor === undefined ? {} : { cursor }),
      },
    },
  });
  if (error) {
    throw MoonflowProblem.from(error);
  }

  const rows: InteractionRow[] = [];
  for (const item of data.items) {
    const id = item["id"];
    const name = item["clientName"];
    const sentAt = item["sentAt"];
    if (typeof id === "string" && typeof name === "string" && typeof sentAt === "string") {
      rows.push({ id, client: name, sentAt });
    }
  }

  return { rows, next: data.nextCursor ?? null };
}

/** Reads a process until it ends; `files` and the counts are always there, `finishedAt` once it has finished. */
export async function waitForProcess(client: MoonflowClient, id: string, pollMs = 1000): Promise<Process> {
  for (;;) {
    const { data, error } = await client.GET("/api/v1/processes/{id}", { params: { path: { id } } });
    if (error) {
      throw MoonflowProblem.from(error);
    }

    if (data.status !== "queued" && data.status !== "running") {
      return data;
    }

    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Requests a download of the clients tray; tells a download already under way apart from other problems by its code. */
export async function downloadClients(client: MoonflowClient, from: string, to: string): Promise<{ fileName: string; url: string } | "already-running"> {
  const { data, error } = await client.POST("/api/v1/exports", {
    body: { tray: "clients", from, to, format: "csv" },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  if (error) {
    if (error.code === "export_in_progress") {
      return "already-running";
    }

    throw MoonflowProblem.from(error);
  }

  const process = await waitForProcess(client, data.processId);
  const file = process.files[0];
  if (process.status !== "completed" || file === undefined) {
    throw new Error(`The download ended ${process.status}: ${process.failureReason ?? "no file"}`);
  }

  return { fileName: file.fileName, url: `/api/v1/processes/${process.id}/files/${file.id}` };
}

/** Uploads past communications (a dry run first, as the screen offers), through the multipart field the document names. */
export async function uploadCommunications(client: MoonflowClient, file: Blob, dryRun: boolean): Promise<Process> {
  const { data, error } = await client.POST("/api/v1/interactions/imports", {
    body: { file, dryRun },
    bodySerializer(body) {
      const form = new FormData();
      form.append("file", body.file, "comunicaciones.xlsx");
      if (body.dryRun !== undefined && body.dryRun !== null) {
        form.append("dryRun", String(body.dryRun));
      }

      return form;
    },
  });
  if (error) {
    throw MoonflowProblem.from(error);
  }

  return waitForProcess(client, data.processId);
}

/** What a screen shows for a problem: a known code gets its own message, anything else the problem's own words. */
export function explain(problem: MoonflowProblem): string {
  switch (problem.code) {
    case "unauthenticated":
      return "Your session ended; sign in again.";
    case "file_too_large":
      return "The file is too large; split it into smaller files.";
    case "validation_failed":
      return problem.detail ?? "Check the highlighted fields.";
    default:
      return problem.detail ?? problem.code;
  }
}
