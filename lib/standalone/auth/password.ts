// Password hashing with bcrypt (bcryptjs: maintained, pure JS, no native build).
import bcrypt from "bcryptjs";
import { randomBytes } from "node:crypto";

const COST = 12;
/** A real hash of a random password, compared against when the user does not exist so that
 * timing does not reveal which e-mails have accounts. */
const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString("hex"), COST);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  return bcrypt.compare(password, hash ?? DUMMY_HASH).then((ok) => ok && Boolean(hash));
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
