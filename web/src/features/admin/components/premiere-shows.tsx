import { PremiereShowsPanel } from '@/components/premiere-shows-panel';
import { staffShows } from '@/api/staff-shows';

const adminShows = staffShows('/admin');

// Admin: «Показы» of an existing premiere (ADR 0027) — its live shows with the seats taken, a form to add one, and
// «Отменить показ» (after an inline question), which refunds every buyer in full; the panel «Касса театра» shows too,
// here through the admin's endpoints. `refreshKey` asks the list again (saving the premiere's «Прямая трансляция»
// creates or moves the show at that time).
export function PremiereShows({ premiereId, timeZone, refreshKey = 0 }: { premiereId: number; timeZone: string; refreshKey?: number }) {
  return <PremiereShowsPanel premiereId={premiereId} timeZone={timeZone} refreshKey={refreshKey} api={adminShows} />;
}
