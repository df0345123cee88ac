// Who is signed in: a Supabase Auth session (supabase-js, vendored) when the server
// publishes a Supabase URL and anon key, or a development token from `python -m devstack token`.

const DEV_TOKEN_KEY = "hubspot-ai.dev-token";
let supabaseClient = null;

export async function startAuth(config) {
  if (!config.supabase) return;
  await loadScript("/static/vendor/supabase-js/supabase.js");
  supabaseClient = window.supabase.createClient(config.supabase.url, config.supabase.anon_key, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true, flowType: "pkce" },
  });
}

export function usesSupabase() {
  return supabaseClient !== null;
}

export async function accessToken() {
  if (supabaseClient) {
    const { data } = await supabaseClient.auth.getSession();
    if (data.session) return data.session.access_token;
  }
  return sessionStorage.getItem(DEV_TOKEN_KEY);
}

export function claims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
  } catch {
    return null;
  }
}

export function isExpired(token) {
  const exp = claims(token)?.exp;
  return typeof exp !== "number" || exp * 1000 <= Date.now();
}

export class SignInProblem extends Error {}

export function useDevToken(rawToken) {
  const token = rawToken.trim().replace(/^Bearer\s+/i, "");
  if (!claims(token)) throw new SignInProblem("That is not a token: paste the whole output of “python -m devstack token”.");
  if (isExpired(token)) throw new SignInProblem("That token has expired: make a new one with “python -m devstack token”.");
  sessionStorage.setItem(DEV_TOKEN_KEY, token);
}

export async function signInWithPassword(email, password) {
  const { error } = await supabaseClient.auth.signInWithPassword({ email, password });
  if (error) throw new SignInProblem(error.message);
}

export async function sendMagicLink(email) {
  const redirect = `${location.origin}${location.pathname}`;
  const { error } = await supabaseClient.auth.signInWithOtp({
    email,
    options: { emailRedirectTo: redirect, shouldCreateUser: false },
  });
  if (error) throw new SignInProblem(error.message);
}

export async function signOut() {
  sessionStorage.removeItem(DEV_TOKEN_KEY);
  if (supabaseClient) await supabaseClient.auth.signOut({ scope: "local" });
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}
