import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Suggestion } from '@/types/api';
import { getSuggestions, SUGGEST_DEBOUNCE_MS, SUGGEST_MIN_CHARS } from '../api/get-suggestions';

// The header's search: suggestions while typing (debounced, the stale request aborted), Enter searches.
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const listId = useId();
  const [q, setQ] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // Follow the address: a «Возможно, вы имели в виду» click or Back puts its query into the box.
  useEffect(() => {
    // The address is outside React's state: following it here is what an effect is for.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOpen(false);
    if (location.pathname === '/search') setQ(new URLSearchParams(location.search).get('q') ?? '');
  }, [location.pathname, location.search]);

  useEffect(() => {
    const term = q.trim();
    if (term.length < SUGGEST_MIN_CHARS) {
      // Too short to ask: drop the last answer, so that typing a longer term again never shows a stale list
      // before its own request answers.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      getSuggestions(term, controller.signal)
        .then(setSuggestions)
        .catch(() => {
          if (!controller.signal.aborted) setSuggestions([]);
        });
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };

  const go = (s: Suggestion) => {
    setOpen(false);
    navigate(`/premiere/${s.id}`);
  };

  const focusOption = (delta: number) => {
    const options = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    if (options.length === 0) return;
    const index = options.indexOf(document.activeElement as HTMLButtonElement);
    const next = index + delta;
    if (next < 0) inputRef.current?.focus();
    else options[Math.min(next, options.length - 1)].focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      setOpen(false);
      inputRef.current?.focus();
    } else if (e.key === 'ArrowDown' && open) {
      e.preventDefault();
      focusOption(1);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      focusOption(-1);
    }
  };

  const shown = open && suggestions.length > 0;
  return (
    <form
      className="search"
      role="search"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <input
        ref={inputRef}
        type="search"
        aria-label="Поиск"
        placeholder="Премьера, театр или актёр"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        aria-controls={shown ? listId : undefined}
        autoComplete="off"
        enterKeyHint="search"
      />
      <button type="submit">Найти</button>
      {shown && (
        <ul className="suggestions" id={listId} ref={listRef} aria-label="Подсказки">
          {suggestions.map((s) => (
            <li key={s.id}>
              {/* mousedown would blur the box (and close the list) before the click lands in Safari */}
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => go(s)}>
                {s.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
