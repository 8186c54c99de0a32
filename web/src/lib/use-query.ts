import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DependencyList } from 'react';

// A small stand-in for a query library: loads when `deps` change (dropping the old data and
// aborting the old request), and `reload()` refreshes in place without blanking the screen.
export function useQuery<T>(fetcher: (signal: AbortSignal) => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // The latest fetcher, for the load below and for reload(): updated after each commit (a layout effect
  // runs before every effect, so the load after a change of deps already calls the new one).
  const fetcherRef = useRef(fetcher);
  useLayoutEffect(() => {
    fetcherRef.current = fetcher;
  });
  const controllerRef = useRef<AbortController | null>(null);

  const run = useCallback(async (reset: boolean) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    if (reset) setData(undefined);
    setLoading(true);
    setError(null);
    try {
      const result = await fetcherRef.current(controller.signal);
      if (!controller.signal.aborted) setData(result);
    } catch (e) {
      if (!controller.signal.aborted) setError(e);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    // The load starts in an effect because it is cancelled by the cleanup (unmount, new deps); its synchronous
    // reset of data, loading and error is the point: new deps blank the old data before the new arrives.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void run(true);
    return () => controllerRef.current?.abort();
    // The caller names what the fetcher depends on (`deps`, like useEffect's); the fetcher itself is read from
    // fetcherRef, so it is not a dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const reload = useCallback(() => run(false), [run]);
  return { data, error, loading, reload, setData };
}
