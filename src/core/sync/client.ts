// What sync needs from a cluster connection: the few members of core/cluster's ClusterClient it uses.
import type { ClusterClient } from '../cluster/client';

export type SyncClient = Pick<ClusterClient, 'serverSideApply' | 'get' | 'list' | 'delete' | 'mergePatch' | 'resourceFor' | 'defaultNamespace' | 'withSignal'>;
