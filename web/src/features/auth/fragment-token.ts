import { useEffect, useState } from 'react';

// The token from an emailed link's fragment (/reset-password#token=…, /verify-email#token=…): a fragment never
// reaches the server in a request line or a Referer.
export function tokenFromFragment(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') || null;
}

// The link's token, read once and kept in state only: the address bar and the history lose the fragment right away.
export function useFragmentToken(): string | null {
  const [token] = useState(() => tokenFromFragment(window.location.hash));
  useEffect(() => {
    const { pathname, search, hash } = window.location;
    // The router's own entry state stays; only the URL loses its fragment.
    if (hash) window.history.replaceState(window.history.state, '', pathname + search);
  }, []);
  return token;
}
