const users = new Map<string, string>([['customer@contoso.example', 'correct horse battery staple']]);

/** Checks an email and password; the real service compares a salted hash, the demo a map. */
export async function signIn(email: string, password: string): Promise<boolean> {
  return users.get(email.trim().toLowerCase()) === password;
}
