// The checks on an address and a password the browser can make before asking the server (registration and
// the new password after a reset or on the account page); the server's errors[] win when it answers.
export const MIN_PASSWORD = 12;

export function emailProblem(email: string): string | undefined {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? undefined : 'Укажите адрес электронной почты';
}

// Counts characters (code points), not UTF-16 units: an emoji is one.
export function passwordProblem(password: string): string | undefined {
  return [...password].length < MIN_PASSWORD ? `Пароль должен быть не короче ${MIN_PASSWORD} символов` : undefined;
}
