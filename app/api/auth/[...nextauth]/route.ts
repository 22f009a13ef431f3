import { handlers } from "@/lib/standalone/auth/config";

export const { GET, POST } = handlers;
