import { api } from '@/lib/api-client';
import type { Rental } from '@/types/api';

export async function getRentals(signal?: AbortSignal): Promise<Rental[]> {
  return (await api<{ items: Rental[] }>('GET', '/rentals', { signal })).items;
}
