// The live total of the checkout form: the sum of the quotes of every line, or null while one is missing.
export function checkoutTotal(quotes: (number | null | undefined)[]): number | null {
  let total = 0;
  for (const q of quotes) {
    if (q === null || q === undefined) return null;
    total += q;
  }
  return total;
}
