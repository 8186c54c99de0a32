import { api } from '@/lib/api-client';
import type { ProblemReport, ProblemReportAnswer } from '@/types/api';

// POST /rentals/:id/problems (ADR 0026) — the customer's report of a playback problem, with the stream they were
// watching: 201 {id, detail}. 400 naming text or session; 404 not their rental; 409 one is open already
// (problem-already-reported), or the rental has not started or was cancelled; 422 naming session (not this rental's).
export function reportProblem(rentalId: string, report: ProblemReport) {
  return api<ProblemReportAnswer>('POST', `/rentals/${encodeURIComponent(rentalId)}/problems`, { body: report });
}
