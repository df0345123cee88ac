// The approval API, and its errors in words a rep can act on.

import { accessToken, isExpired } from "./auth.js";

export class SessionExpired extends Error {}

// The server refused the token for another reason than its age: tampered, forged, or for
// another project. The rep signs in again, told that the sign-in was not valid.
export class SessionInvalid extends Error {}

export class ApiProblem extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, body) {
  const token = await accessToken();
  if (!token || isExpired(token)) throw new SessionExpired();
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, "Can't reach the server. Check your connection and try again.");
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401) throw data?.error === "token_expired" ? new SessionExpired() : new SessionInvalid();
  if (!response.ok) throw new ApiProblem(response.status, plainWords(response.status, data));
  return data;
}

function plainWords(status, data) {
  switch (status) {
    case 403:
      if (data && data.error === "not_a_team_lead") return "Only a team lead can see the whole team's drafts.";
      return "Your account isn't linked to a HubSpot owner yet. Ask an admin to link it.";
    case 404:
      return "That suggestion no longer exists, or it isn't yours.";
    case 409:
      return "This was already applied to HubSpot.";
    case 422: {
      const fields = (data && data.fields) || [];
      const problems = fields.map((f) => (f.field ? `${f.field}: ${f.problem}` : f.problem));
      return `Please check what you entered. ${problems.join("; ")}`.trim();
    }
    case 503:
      return "The service is busy and couldn't take that just now. Try again in a moment.";
    default:
      return `Something went wrong on the server (${status}). Try again in a moment.`;
  }
}
