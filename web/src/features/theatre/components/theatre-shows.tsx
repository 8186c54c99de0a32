import { useId, useState } from 'react';
import { PremiereShowsPanel } from '@/components/premiere-shows-panel';
import { staffShows } from '@/api/staff-shows';

const theatreShows = staffShows('/theatre');

// «Показы» of one of the theatre's premieres in «Касса театра»: a disclosure that opens the premiere's live shows
// (ADR 0027) — the panel the admin's editor shows too (the seats taken, «Добавить показ», «Отменить показ» refunding
// every buyer), through the theatre's endpoints. Opened again, it asks the list afresh.
export function TheatreShows({ premiereId, timeZone }: { premiereId: number; timeZone: string }) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  return (
    <div className="theatre-shows">
      <div className="actions">
        <button type="button" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => setOpen((was) => !was)}>
          Показы
        </button>
      </div>
      {open && (
        <div id={panelId}>
          <PremiereShowsPanel premiereId={premiereId} timeZone={timeZone} api={theatreShows} headingLevel={4} className="theatre-premiere-shows" />
        </div>
      )}
    </div>
  );
}
