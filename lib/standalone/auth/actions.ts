"use server";
// Server actions for the login and sign-out forms.
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "./config";
import { signInErrorMessage } from "./login-messages";

export interface LoginState {
  error?: string;
  fields?: { email?: string; password?: string };
}

const loginSchema = z.object({
  email: z.email("Enter a valid e-mail address."),
  password: z.string().min(1, "Enter your password."),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths: an absolute or protocol-relative URL here would be an open redirect. */
export async function safeCallback(value: string | undefined): Promise<string> {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/admin/troubleshooting";
}

export async function loginWithPassword(_prev: LoginState, form: FormData): Promise<LoginState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors;
    return { fields: { email: fields.email?.[0], password: fields.password?.[0] } };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: await safeCallback(parsed.data.callbackUrl),
    });
    return {};
  } catch (err) {
    // signIn redirects by throwing; only Auth.js's own errors mean "not signed in".
    if (err instanceof AuthError) {
      return { error: signInErrorMessage(err.type, "code" in err ? String(err.code) : undefined) };
    }
    throw err;
  }
}

export async function loginWithGitHub(form: FormData): Promise<void> {
  await signIn("github", { redirectTo: await safeCallback(String(form.get("callbackUrl") ?? "")) });
}

export async function logout(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
