import { useEffect, useState } from 'react';

/** The current time, renewed every `everyMs` while `on` (elapsed times that count up). */
export function useNow(on: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [on, everyMs]);
  return now;
}
