export type { JobEvent, ReplicaStatus } from '../api/types';

/** The inline result (`GET /jobs/{id}/result` when no outputs are stored). */
export interface JobResultLike {
  jobId: string;
  status: string;
  fingerprint: string;
  runtimeSeconds: number;
}
