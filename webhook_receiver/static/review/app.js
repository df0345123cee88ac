// The review page: sign-in, the inbox and one activity, routed by the URL's hash.

import { ApiProblem, SessionExpired, SessionInvalid } from "./api.js";
import { showActivity } from "./activity.js";
import {
  SignInProblem,
  accessToken,
  claims,
  isExpired,
  sendMagicLink,
  signInWithPassword,
  signOut,
  startAuth,
  useDevToken,
  usesSupabase,
} from "./auth.js";
import { fill, h, once } from "./dom.js";
import { showInbox } from "./inbox.js";
import { showInsights } from "./insights.js";

const main = document.getElementById("main");
const notice = document.getElementById("notice");
let config = { supabase: null, dev_sign_in: false };
let routeGeneration = 0;

function say(message) {
  notice.hidden = !message;
  notice.textContent = message || "";
}

// A view asks `stillShown()` before touching the page after an await: the rep may have
// moved on meanwhile.
function viewContext() {
  const generation = ++routeGeneration;
  return { main, say, report, reload: () => route(), stillShown: () => generation === routeGeneration };
}

async function report(error) {
  if (error instanceof SessionExpired) {
    await signOut();
    showSignIn("Your session has expired. Sign in again.");
  } else if (error instanceof SessionInvalid) {
    await signOut();
    showSignIn("That sign-in is not valid. Sign in again.");
  } else if (error instanceof ApiProblem) {
    say(error.message);
  } else {
    console.error(error);
    say("Something went wrong in the page. Reload it and try again.");
  }
}

async function route() {
  const token = await accessToken();
  if (!token) return showSignIn();
  if (isExpired(token)) {
    await signOut();
    return showSignIn("Your session has expired. Sign in again.");
  }
  showAccount(claims(token)?.email || "signed in");
  const activity = location.hash.match(/^#\/activity\/(\d+)$/);
  const query = new URLSearchParams(location.hash.split("?")[1] || "");
  try {
    if (activity) await showActivity(viewContext(), activity[1]);
    else if (location.hash.startsWith("#/insights")) await showInsights(viewContext(), query);
    else await showInbox(viewContext(), query);
  } catch (error) {
    await report(error);
    if (!(error instanceof SessionExpired || error instanceof SessionInvalid)) showLoadFailed();
  }
}

// The notice says what went wrong; the page offers the one thing to do about it.
function showLoadFailed() {
  viewContext();
  const retry = h("button", { type: "button", class: "primary", on: { click: () => route() } }, "Try again");
  fill(main, h("h1", { tabindex: "-1" }, "This page could not be loaded"), h("div", { class: "actions" }, retry));
  retry.focus();
}

function showAccount(email) {
  document.getElementById("account").hidden = false;
  document.getElementById("account-email").textContent = email;
}

function showSignIn(message) {
  viewContext();
  document.getElementById("account").hidden = true;
  say(message || "");
  const forms = [];
  if (usesSupabase()) forms.push(supabaseForm());
  if (config.dev_sign_in) forms.push(devTokenForm());
  if (!forms.length) {
    forms.push(h("p", {}, "Sign-in is not configured: set SUPABASE_URL and SUPABASE_ANON_KEY."));
  }
  fill(main, h("h1", { tabindex: "-1" }, "Sign in"), forms);
  main.querySelector("input, textarea")?.focus();
}

function supabaseForm() {
  const email = h("input", { id: "email", type: "email", autocomplete: "email", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password" });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const link = h("button", { type: "button" }, "Email me a sign-in link");
  const form = h(
    "form",
    { class: "card sign-in", on: { submit: (event) => signIn(event, submit) } },
    h("label", { for: "email" }, "Email"),
    email,
    h("label", { for: "password" }, "Password"),
    password,
    h("div", { class: "actions" }, submit, link),
  );
  async function signIn(event, button) {
    event.preventDefault();
    await attempt(button, () => signInWithPassword(email.value, password.value));
  }
  link.addEventListener("click", () =>
    once(link, async () => {
      try {
        await sendMagicLink(email.value);
        say(`We sent a sign-in link to ${email.value}. Open it on this device.`);
      } catch (error) {
        say(error instanceof SignInProblem ? error.message : "Could not send the link. Try again.");
      }
    }),
  );
  return form;
}

function devTokenForm() {
  const token = h("textarea", { id: "dev-token", rows: "3", spellcheck: "false", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in with token");
  return h(
    "form",
    {
      class: "card sign-in",
      on: {
        submit: (event) => {
          event.preventDefault();
          attempt(submit, async () => useDevToken(token.value));
        },
      },
    },
    h("label", { for: "dev-token" }, "Development token"),
    h("p", { class: "muted" }, "Paste the output of ", h("code", {}, "python -m devstack token"), "."),
    token,
    h("div", { class: "actions" }, submit),
  );
}

async function attempt(button, signIn) {
  await once(button, async () => {
    try {
      await signIn();
    } catch (error) {
      say(error instanceof SignInProblem ? error.message : "Sign-in failed. Try again.");
      return;
    }
    say("");
    if (location.hash.startsWith("#/")) await route();
    else location.hash = "#/";
  });
}

async function start() {
  try {
    const answer = await fetch("/review/config.json");
    config = await answer.json();
    await startAuth(config);
  } catch {
    say("The page could not load its settings. Reload to try again.");
    return;
  }
  document.getElementById("sign-out").addEventListener("click", async () => {
    await signOut();
    say("You are signed out.");
    showSignIn("You are signed out.");
  });
  window.addEventListener("hashchange", () => {
    say("");
    route();
  });
  await route();
}

start();
