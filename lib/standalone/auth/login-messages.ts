// What the login form says when Auth.js refuses a sign-in: from the error the server action
// catches, or from `?error=&code=` when Auth.js's own endpoint redirected back to /login.

export const RATE_LIMITED_CODE = "rate_limited";

const RATE_LIMITED_MESSAGE = "Too many failed sign-in attempts. Wait 15 minutes, then try again.";

export function signInErrorMessage(type: string, code?: string | null): string {
  if (type !== "CredentialsSignin") return "Sign-in is unavailable right now.";
  return code === RATE_LIMITED_CODE ? RATE_LIMITED_MESSAGE : "Wrong e-mail or password.";
}
