// The gateway's JSON, as its records serialize it (ledger-client io.gridledger.ledger.*, gateway-service api.*).
// Ledger times are epoch seconds; agents' and the gateway's own clocks (heartbeats, agent steps) are epoch ms.

export type JobStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export const JOB_STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { field: string; reason: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Resources {
  cpuMillis: number;
  memoryMiB: number;
  gpuCount: number;
  gpuModel?: string | null;
  storageMiB: number;
  arch: string;
  labels?: Record<string, string> | null;
}

export interface JobSpec {
  jobId: string;
  image: string;
  command?: string[] | null;
  resources: Resources;
  maxUnitPrice: number;
  timeoutSeconds: number;
  verification: { mode: 'SINGLE' | 'REPLICATED'; replicas: number; quorum: number };
  minReputation: number;
  deadline: number;
}

export interface JobOutcome {
  fingerprint?: string | null;
  runtimeSeconds: number;
  reason?: string | null;
  verdicts?: Record<string, string> | null;
  payments?: Record<string, number> | null;
  fee: number;
  refund: number;
  slashed?: Record<string, number> | null;
}

export interface Job {
  jobId: string;
  clientId: string;
  clientOrg: string;
  spec: JobSpec;
  microUnits: number;
  escrowed: number;
  status: JobStatus;
  phase: 'NONE' | 'COMMIT' | 'REVEAL' | 'TIEBREAK';
  round: number;
  replicaCount: number;
  createdAt: number;
  updatedAt: number;
  unmatched?: { reason: string; detail?: string | null; checkedAt: number } | null;
  outcome?: JobOutcome | null;
}

export interface JobView {
  job: Job;
  replicas: unknown[];
  escrow: number;
}

export interface AgentStep {
  step: string;
  reason?: string | null;
  exitCode?: number | null;
  at: number;
  origin: string;
}

export interface ReplicaStatus {
  replica: number;
  attempt: number;
  round: number;
  nodeId: string;
  nodeOrg: string;
  offerId: string;
  ledgerState: 'ASSIGNED' | 'COMMITTED' | 'REVEALED' | 'TIMED_OUT';
  assignedAt: number;
  commitDeadline: number;
  committedAt?: number | null;
  revealedAt?: number | null;
  verdict?: string | null;
  agent?: AgentStep | null;
}

export interface JobEvent {
  id: string;
  jobId: string;
  event: string;
  status?: string | null;
  phase?: string | null;
  replica?: number | null;
  txId?: string | null;
  blockNumber: number;
  attempt?: number | null;
  nodeId?: string | null;
  step?: string | null;
  reason?: string | null;
  exitCode?: number | null;
  at?: number | null;
}

export interface Offer {
  offerId: string;
  nodeId: string;
  org: string;
  slot: Resources;
  slots: number;
  unitPrice: number;
  stake: number;
  status: 'ACTIVE' | 'PAUSED' | 'WITHDRAWN';
  createdAt: number;
  updatedAt: number;
}

export interface OfferSummary {
  offerId: string;
  status: string;
  resourceClass: string;
  slots: number;
  unitPrice: number;
}

export interface NodeView {
  nodeId: string;
  state: string;
  online: boolean;
  runningJobs: number;
  capacity: number;
  resources?: Record<string, unknown> | null;
  offerId?: string | null;
  lastSeen: number;
  heartbeatAt: number;
  offers: OfferSummary[];
  runningReplicas?: { dispatchKey: string; jobId: string; replica: number; attempt: number; step: string; at: number }[] | null;
}

export interface ReputationView {
  subject: string;
  record: {
    earned?: Record<string, { value: number; agreed: number }> | null;
    dissented: number;
    noShows: number;
    disputed: number;
    unrated: number;
  };
  score: number;
  positiveEvidence: number;
  negativeEvidence: number;
}

export interface Account {
  accountId: string;
  org: string;
  balance: number;
}

export interface MovementDone {
  accountId: string;
  amount: number;
  balance: number;
  txId: string;
}

export interface Parameters {
  members: string[];
  version?: number | null;
  feeBasisPoints: number;
  minStakePerSlot: number;
  slashBasisPoints: number;
  defaultReplicas: number;
  defaultQuorum: number;
  commitGraceSeconds: number;
  revealWindowSeconds: number;
  matchScanLimit: number;
  clockToleranceSeconds: number;
  reputationUnitCredits: number;
  reputationCapPerOrg: number;
  units: { microPerMillicore: number; microPerMemoryMiB: number; microPerGpu: number; microPerStorageMiB: number };
}

export interface Proposal {
  proposalId: string;
  params: Parameters;
  amendsVersion: number;
  expiresAt: number;
  proposedBy: string;
  proposedAt: number;
  status: 'OPEN' | 'APPLIED';
  approvals: string[];
}

export interface TokenView {
  tokenId: string;
  partnerId: string;
  identity: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
}

// --- the admin's consortium-wide views (/admin/overview, /series, /alerts, /offers, /nodes, /proposals; console-api.md)

/** Consortium-wide figures at a block of the gateway's projection of the ledger. */
export interface AdminOverview {
  asOfBlock: number;
  jobsByStatus: Partial<Record<JobStatus, number>>;
  escrow: number;
  treasury: number;
  stakes: number;
  nodesOnline: number;
  nodesKnown: number;
  alertsLastHour: number;
}

/** One bucket of the series: jobs submitted and ended in it, and the submit→end latency of those that ended. */
export interface SeriesPoint {
  t: number;
  submitted: number;
  completed: number;
  failed: number;
  cancelled: number;
  latencyP50Seconds: number | null;
  latencyP95Seconds: number | null;
}

export interface Series {
  bucketSeconds: number;
  points: SeriesPoint[];
}

export type AlertKind = 'REPLICA_TIMED_OUT' | 'DISAGREEMENT' | 'SLASHED' | 'JOB_FAILED';

export interface Alert {
  id: string;
  at: number;
  kind: AlertKind;
  jobId?: string | null;
  nodeId?: string | null;
  org?: string | null;
  replica?: number | null;
  amount?: number | null;
  txId?: string | null;
  blockNumber: number;
  message: string;
}

/** An offer with what is in use of it and its node's reputation. */
export interface AdminOffer extends Offer {
  slotsInUse: number;
  reputation: number;
}

/** A row of the node leaderboard (best reputation first). */
export interface NodeRank {
  nodeId: string;
  org: string;
  score: number;
  agreed: number;
  dissented: number;
  noShows: number;
  disputed: number;
  paid: number;
  slashed: number;
  offers: number;
  stake: number;
  online: boolean;
  rank: number;
}

export interface TrendPoint {
  t: number;
  score: number;
  blockNumber: number;
}

export interface NodeJob {
  at: number;
  jobId: string;
  replica: number;
  verdict: string;
  paid: number;
  slashed: number;
  txId: string;
  blockNumber: number;
}

export interface NodeDetail {
  node: NodeRank;
  offers: AdminOffer[];
  trend: TrendPoint[];
  history: NodeJob[];
}

/** A proposal as the list shows it: its changes and who approved it of how many needed. */
export interface ProposalSummary {
  proposalId: string;
  proposedBy: string;
  proposedAt: number;
  expiresAt: number;
  status: 'OPEN' | 'APPLIED' | 'EXPIRED';
  approvals: string[];
  required: number;
  members: string[];
  changes: { name: string; from: unknown; to: unknown }[];
}

/** The transaction that ended a job, as its block records it: who endorsed it. */
export interface Certification {
  jobId: string;
  txId: string;
  blockNumber: number;
  validationCode: string;
  function: string;
  endorsingOrgs: string[];
  endorsers: { mspId: string; subject: string }[];
  committedAt: number;
}
